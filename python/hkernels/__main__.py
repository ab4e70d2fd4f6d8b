"""python -m hkernels demo [IMAGE] [--out DIR] [--repeat N]

The README's main job from Python, as the C++ `./hk demo` (examples/hk_demo.cpp) does it: filters
IMAGE (PNG or JPEG; default: the repository's data/sample.png when run from the repository, else
the same synthetic test card made in memory) with a 31x31 Gabor filter and a 15x15 box filter on
every available device, writes out/<filter>_<device>.png, and prints per-device times, the CPU
variant Halide's dispatcher chose and each device's largest difference from the CPU result.
Reading and writing images needs Pillow (pip install pillow).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

import hkernels as hk


def _test_card(h=480, w=640):
    """tools/make_sample_image.py's test card: gratings at four orientations, a ring, a square."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    for i, (theta, lam) in enumerate([(0, 8), (np.pi / 4, 12), (np.pi / 2, 16), (3 * np.pi / 4, 20)]):
        qy, qx = divmod(i, 2)
        mask = (y >= qy * h / 2) & (y < (qy + 1) * h / 2) & (x >= qx * w / 2) & (x < (qx + 1) * w / 2)
        g = 0.5 + 0.4 * np.cos(2 * np.pi * (x * np.cos(theta) + y * np.sin(theta)) / lam)
        for c, tint in enumerate([(1.0, 0.8, 0.6), (0.6, 1.0, 0.8), (0.8, 0.6, 1.0), (1.0, 1.0, 1.0)][i]):
            img[..., c] = np.where(mask, g * tint, img[..., c])
    r = np.hypot(x - w / 2, y - h / 2)
    img[(r > 90) & (r < 110)] = (0.95, 0.9, 0.2)
    img[200:280, 40:120] = (0.1, 0.2, 0.9)
    img += np.random.default_rng(2026).normal(0, 0.02, img.shape)
    return (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)


def _pil():
    try:
        from PIL import Image
    except ImportError:
        sys.exit("error: the demo reads and writes images with Pillow: pip install pillow")
    return Image


def _load(path):
    Image = _pil()
    try:
        with Image.open(path) as im:
            if im.mode not in ("L", "RGB", "RGBA"):
                im = im.convert("RGBA" if "A" in im.getbands() else "RGB")
            return np.asarray(im)
    except (OSError, ValueError) as e:  # missing, unreadable, not an image, truncated
        raise SystemExit(f"error: cannot read {path} as an image: {e}")


def _save(data, is_signed, path):
    """Signed responses (Gabor) map [-m, m] to [0, 255] with 0 as mid-grey; others clamp [0, 1]."""
    if is_signed:
        m = max(float(np.abs(data).max()), 1e-12)
        data = 0.5 + 0.5 * data / m
    pixels = (np.clip(data, 0, 1) * 255 + 0.5).astype(np.uint8)
    _pil().fromarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels).save(path)


def demo(argv):
    parser = argparse.ArgumentParser(prog="python -m hkernels demo", description=__doc__.split("\n\n")[1])
    parser.add_argument("image", nargs="?", help="PNG or JPEG (default: data/sample.png or the test card)")
    parser.add_argument("--out", default="out", help="folder for the PNGs (default: out)")
    parser.add_argument("--repeat", type=int, default=10, help="timed calls per device (default: 10)")
    args = parser.parse_args(argv)

    name = args.image
    if name:
        pixels = _load(name)
    elif os.path.exists(os.path.join("data", "sample.png")):
        name = os.path.join("data", "sample.png")
        pixels = _load(name)
    else:
        name, pixels = "synthetic test card", _test_card()
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    image = pixels.astype(np.float32) / 255  # NHWC float in [0, 1], as the C++ demo
    os.makedirs(args.out, exist_ok=True)
    h, w, c = image.shape
    print(f"image: {name} ({w} x {h}, {c} channels)")
    print(f"CPU variant chosen by Halide's dispatcher: {hk.cpu_variant()}; CPU threads: {hk.num_threads()}")
    devices = hk.available_devices()
    for d in devices:
        print(f"device {d.device.name:7s} {d.name}{' (GPU)' if d.is_gpu else ''}")
    for d in ("opencl", "cuda"):
        try:
            hk.check_device(d)
        except hk.DeviceError as e:
            print(f"skipped: {e}")

    filters = [
        ("gabor31", True, lambda x, out, dev: hk.gabor(x, ksize=31, sigma=5.0, theta=math.pi / 4, lambd=12.0,
                                                       gamma=0.5, psi=0.0, device=dev, out=out)),
        ("box15", False, lambda x, out, dev: hk.box_filter(x, ksize=15, device=dev, out=out)),
    ]
    mpix = w * h / 1e6
    print(f"\n{'filter':8s} {'device':7s} {'first (ms)':>12s} {'median (ms)':>12s} {'Mpix/s':>10s} "
          f"{'max|d| vs cpu':>14s}  output")
    failures = 0
    for fname, is_signed, run in filters:
        cpu_result = None
        for d in devices:
            dev = d.device.name
            out = np.zeros_like(image)
            t0 = time.perf_counter()
            try:
                run(image, out, dev)
            except (hk.HkError, RuntimeError) as e:
                print(f"{fname:8s} {dev:7s} failed: {e}")
                failures += 1
                continue
            first = (time.perf_counter() - t0) * 1e3
            times = []
            for _ in range(max(1, args.repeat)):
                t0 = time.perf_counter()
                run(image, out, dev)
                times.append((time.perf_counter() - t0) * 1e3)
            median = float(np.median(times))
            if dev == "cpu":
                cpu_result = out.copy()
                diff = 0.0
            else:
                diff = float(np.abs(out - cpu_result).max()) if cpu_result is not None else float("nan")
            path = os.path.join(args.out, f"{fname}_{dev}.png")
            _save(out, is_signed, path)
            print(f"{fname:8s} {dev:7s} {first:12.2f} {median:12.3f} {mpix / (median / 1e3):10.1f} {diff:14.2e}  {path}")
    print(f"\n'first' includes one-time costs (OpenCL/CUDA kernel compilation and context set-up);\n"
          f"'median' is over {args.repeat} further calls, each copying the image to and from the device.")
    return 1 if failures else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    if argv[0] != "demo":
        print(f"unknown command {argv[0]!r}\n{__doc__}", file=sys.stderr)
        return 2
    return demo(argv[1:])


if __name__ == "__main__":
    sys.exit(main())

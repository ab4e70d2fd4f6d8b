"""Filter every image of a folder on a Dask cluster, with a progress bar.

    python python/examples/dask_folder.py FOLDER [--out DIR] [--scheduler tcp://HOST:8786]
                                          [--workers 2] [--ksize 31] [--make-samples N]

Each image (PNG / JPEG) is read, Gabor-filtered (hkernels.gabor, one call per image) and written
as DIR/<name>.png by a worker; the client shows a progress bar (distributed.progress) and a
summary. Without --scheduler a LocalCluster of --workers processes (1 thread each) runs on this
machine; with --scheduler ADDRESS the work goes to that cluster's workers.

On a real cluster:
  * every worker needs hkernels installed (the same wheel: `pip install ./python` in the workers'
    environment, or the wheel `pip wheel ./python` made, copied there) and Pillow; a worker that
    lacks it fails its tasks with ModuleNotFoundError: hkernels.
  * FOLDER and DIR must be paths the workers can read and write (a shared file system); the
    client only sends file names.
  * start a scheduler and workers, e.g. `dask scheduler` on one machine and
    `dask worker tcp://HOST:8786 --nthreads 1 --nworkers 2` on each, then pass --scheduler.
  * nanobind functions (hkernels.gabor itself) do not pickle: send Python functions that call
    them, as process_image below.
For one image too large for a machine, chunk it instead: hkernels.dask.filter_array.
"""
import argparse
import glob
import os
import sys
import time

import numpy as np


def process_image(path, out_dir, params):
    """Runs on a worker: read, filter, write; returns (name, megapixels, seconds in hkernels)."""
    from PIL import Image

    import hkernels as hk

    with Image.open(path) as im:
        pixels = np.asarray(im.convert("L"), dtype=np.float32) / 255
    t0 = time.perf_counter()
    response = hk.gabor(pixels, **params)
    seconds = time.perf_counter() - t0
    m = max(float(np.abs(response).max()), 1e-12)
    grey = ((0.5 + 0.5 * response / m) * 255 + 0.5).astype(np.uint8)  # 0 = mid-grey
    name = os.path.splitext(os.path.basename(path))[0] + ".png"
    Image.fromarray(grey).save(os.path.join(out_dir, name))
    return name, pixels.size / 1e6, seconds


def make_samples(folder, n):
    """N synthetic gratings, to try the example without images at hand."""
    from PIL import Image

    os.makedirs(folder, exist_ok=True)
    y, x = np.mgrid[0:480, 0:640]
    for i in range(n):
        theta = np.pi * i / max(n, 1)
        g = 0.5 + 0.4 * np.cos(2 * np.pi * (x * np.cos(theta) + y * np.sin(theta)) / (8 + i % 12))
        Image.fromarray((g * 255).astype(np.uint8)).save(os.path.join(folder, f"grating_{i:03d}.png"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--out", default="out/dask")
    parser.add_argument("--scheduler", help="address of a running scheduler (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--ksize", type=int, default=31)
    parser.add_argument("--make-samples", type=int, metavar="N", help="first write N synthetic images to FOLDER")
    args = parser.parse_args()

    import distributed

    if args.make_samples:
        make_samples(args.folder, args.make_samples)
    paths = sorted(p for ext in ("png", "jpg", "jpeg", "PNG", "JPG", "JPEG")
                   for p in glob.glob(os.path.join(args.folder, f"*.{ext}")))
    if not paths:
        sys.exit(f"error: no PNG or JPEG images in {args.folder} (try --make-samples 20)")
    os.makedirs(args.out, exist_ok=True)
    out_dir = os.path.abspath(args.out)
    params = dict(ksize=args.ksize, sigma=args.ksize / 6, theta=0.5, lambd=args.ksize / 3, gamma=0.5, psi=0.0)

    if args.scheduler:
        client = distributed.Client(args.scheduler)
        cluster = None
    else:
        cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
    print(f"{len(paths)} images -> {out_dir} on {len(client.scheduler_info()['workers'])} workers")
    t0 = time.perf_counter()
    futures = client.map(process_image, [os.path.abspath(p) for p in paths], out_dir=out_dir, params=params)
    distributed.progress(futures)  # a text progress bar in a terminal, a widget in Jupyter
    results = client.gather(futures)
    wall = time.perf_counter() - t0
    mpix = sum(r[1] for r in results)
    busy = sum(r[2] for r in results)
    print(f"\n{len(results)} images, {mpix:.1f} Mpix in {wall:.2f} s: {mpix / wall:.1f} Mpix/s overall, "
          f"{mpix / busy:.1f} Mpix/s inside hkernels")
    client.close()
    if cluster is not None:
        cluster.close()


if __name__ == "__main__":
    main()

"""Filter a dask.array image chunk by chunk, with the result of one call on the whole image.

    import dask.array as da, hkernels.dask as hkd
    image = da.from_zarr(...)                                   # (H, W) or (H, W, C), any chunks in H, W
    out = hkd.filter_array(image, "gabor", ksize=31, sigma=5.0, lambd=12.0, border="replicate")
    out.compute()                                               # or .to_zarr(...), on a cluster

How: each chunk is extended by the halo the op reads (its kernel's reach: k // 2 for a centred
k x k kernel, the anchor's sides for others; `halo()`), filtered, and the halo cut off again
(`dask.array.overlap` with boundary='none', then map_blocks, then trim). At the image's own edges
no halo is added, so the chunk's filter call applies the op's border there (zero, replicate,
reflect101) exactly as the whole-image call does -- dask's own `boundary='reflect'` would be the
wrong mirror (it repeats the edge pixel: OpenCV's BORDER_REFLECT, not reflect101). Inside the image
every output pixel reads only real pixels, the same ones in the same order as the whole-image call:
the result is bitwise that call's for gabor, gabor_bank, filter2d, sep_filter2d and
directional_derivative, when the workers run the CPU variant of the reference call (on a cluster
of mixed CPUs, an AVX2 worker may round differently from an AVX-512 one: compare
hkernels.cpu_variant() on each, or cap them all with HK_CPU_VARIANT). The box filter restarts its running sums at each chunk's first row, so
there it agrees within its documented rounding bound (filters.h: about 6 max(32, k) 2^-24 max|x|
per result, twice that between two results).

Chunks along H and W may be any size; chunks smaller than the halo are merged by dask. The
channel axis must be one chunk. padding='same' only (a 'valid' output is a crop of it:
`out[r:-r, r:-r]`).

Clusters: the functions run on the workers, so hkernels must be installed there (the same wheel
in every worker's environment: `pip install ./python` or the built wheel). Point a Client at the
scheduler (`distributed.Client("tcp://scheduler:8786")`) before compute(); see
python/examples/dask_folder.py, which filters a folder of images with a progress bar.
"""
from __future__ import annotations

import numpy as np

import hkernels as _hk

__all__ = ["filter_array", "halo", "OPS"]

# The filters that keep the image size; layers (conv2d, pooling) change it and are not offered.
OPS = ("gabor", "gabor_bank", "box_filter", "filter2d", "sep_filter2d", "directional_derivative")


def _ksize(params, op):
    k = params.get("ksize")
    w = params.get("ksize_w") or k
    h = params.get("ksize_h") or k
    if w is None or h is None:
        raise ValueError(f"{op}: give ksize (a square kernel) or both ksize_w and ksize_h")
    return int(w), int(h)


def _reach(k, anchor):
    """Pixels read before and after the output pixel by a k-tap kernel anchored at `anchor`."""
    a = k // 2 if anchor is None or anchor < 0 else anchor
    return a, k - 1 - a


def halo(op, **params):
    """(rows, cols): how far `op` with these parameters reads around an output pixel, the depth of
    the overlap each chunk gets."""
    if op in ("gabor", "gabor_bank"):
        w, h = _ksize(params, op)
        return h // 2, w // 2  # sizes round up to odd, centred
    if op == "box_filter":
        w, h = _ksize(params, op)
        return max(_reach(h, None)), max(_reach(w, None))
    if op == "filter2d":
        kh, kw = np.shape(params["kernel"])
        return max(_reach(kh, params.get("anchor_y"))), max(_reach(kw, params.get("anchor_x")))
    if op == "sep_filter2d":
        kw, kh = len(params["kernel_x"]), len(params["kernel_y"])
        return max(_reach(kh, params.get("anchor_y"))), max(_reach(kw, params.get("anchor_x")))
    if op == "directional_derivative":
        return 1, 1
    raise ValueError(f"hkernels.dask: op must be one of {', '.join(OPS)}; got {op!r}")


def _out_channels(op, c, params):
    if params.get("channels") in ("sum", _hk.ChannelMode.sum):
        return 1
    if op == "gabor_bank":
        return c * _hk.gabor_bank_size(thetas=params["thetas"], lambdas=params["lambdas"],
                                       psis=params.get("psis", (0.0,)))
    return c


def _filter_block(block, op, params):
    # Runs on the workers: one hkernels call on the chunk and its halo (HWC, float32 out).
    return getattr(_hk, op)(block, **params)


def filter_array(image, op, **params):
    """`op` (a name in OPS) applied to the dask array `image` ((H, W) or (H, W, C), float32 or
    uint8) chunk by chunk; returns a float32 dask array of the whole-image call's shape (HW input
    and several output channels -- a Gabor bank -- give HWC). `params` are the op's keyword
    arguments (hkernels.<op>), device included."""
    import dask.array as da

    if op not in OPS:
        raise ValueError(f"hkernels.dask: op must be one of {', '.join(OPS)}; got {op!r}")
    if params.get("padding", "same") not in ("same", _hk.Padding.same):
        raise ValueError("hkernels.dask: padding='same' only (crop the result for 'valid')")
    if "out" in params:
        raise ValueError("hkernels.dask: out= is not supported (the result is a dask array)")
    image = da.asarray(image)
    if image.ndim not in (2, 3):
        raise ValueError(f"hkernels.dask: image must be (H, W) or (H, W, C); got {image.ndim} dimensions")
    if image.dtype not in (np.float32, np.uint8):
        raise TypeError(f"hkernels.dask: image dtype {image.dtype} is not supported; give float32 or uint8")
    was_2d = image.ndim == 2
    x = image[:, :, None] if was_2d else image
    if len(x.chunks[2]) > 1:
        x = x.rechunk({2: -1})  # channels must be contiguous within a call
    dy, dx = halo(op, **params)
    c_out = _out_channels(op, x.shape[2], params)
    depth = {0: dy, 1: dx, 2: 0}
    boundary = {0: "none", 1: "none", 2: "none"}
    if min(x.chunks[0]) < dy or min(x.chunks[1]) < dx:
        # dask's overlap needs chunks at least as deep as the halo: merge the small ones.
        x = x.rechunk({0: _min_chunks(x.chunks[0], dy), 1: _min_chunks(x.chunks[1], dx)})
    extended = da.overlap.overlap(x, depth=depth, boundary=boundary)
    chunks = (extended.chunks[0], extended.chunks[1], (c_out,))
    # token, not name: the key prefix only; dask appends a hash of the arguments, so calls with
    # other parameters (a border, a kernel) never share keys -- and results -- on a cluster.
    filtered = extended.map_blocks(_filter_block, op, params, dtype=np.float32, chunks=chunks,
                                   token=f"hkernels-{op}")
    out = da.overlap.trim_internal(filtered, depth, boundary=boundary)
    return out[:, :, 0] if was_2d and c_out == 1 else out


def _min_chunks(chunks, minimum):
    """Chunk sizes with each at least `minimum`, merging neighbours (same total)."""
    merged = []
    for c in chunks:
        if merged and (merged[-1] < minimum or c < minimum):
            merged[-1] += c
        else:
            merged.append(c)
    if len(merged) > 1 and merged[-1] < minimum:
        merged[-2] += merged.pop()
    return tuple(merged)

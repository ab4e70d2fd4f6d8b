"""What Python adds to a call, and Dask's throughput on 2 workers against one process.

    python python/bench/bench_python.py [--quick]

1. Call overhead: hkernels.box_filter (3x3, the cheapest op, so the overhead's share is largest)
   from Python -- with a preallocated out= and with a new output array -- against the same
   hk::box_filter call timed inside C++ (hkernels._cpp_box_filter_seconds: no Python), on a small
   image (64x64x1) and on 1080p (1920x1080x3), the calls alternating; medians and minima of many
   calls. The target is an overhead within 5 us or 2% of the C++ call.
2. Dask: a Gabor filter (k = 15) over a 4096x4096 float32 image in 1024x1024 chunks, through
   hkernels.dask.filter_array on a LocalCluster of 2 worker processes (1 thread each, hkernels
   1 thread each), against one process: the single whole-image call (hkernels on every core) and
   the same dask graph on the synchronous scheduler. Megapixels per second.
"""
import argparse
import statistics
import time

import numpy as np

import hkernels as hk
from hkernels import _hkernels


def median_us(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


def overhead(repeats):
    print("1. Python call overhead (box_filter 3x3, CPU, %d threads): per-call times, C++ and Python calls"
          % hk.num_threads())
    print("   alternating (machine noise hits both alike); overhead = Python - C++, of the medians and of the minima")
    print(f"   {'image':12s} {'C++ med/min (us)':>18s} {'Py out= med/min':>18s} {'Py new med/min':>18s} "
          f"{'overhead out= (med, min)':>26s} {'overhead new (med, min)':>26s}")
    rng = np.random.default_rng(0)
    rows = []
    for name, shape, n in (("64x64x1", (64, 64, 1), repeats), ("1920x1080x3", (1080, 1920, 3), max(60, repeats // 30))):
        x = rng.random(shape, dtype=np.float32)
        out = np.empty_like(x)
        for _ in range(3):  # warm up: pages, thread pool, dispatcher
            hk.box_filter(x, ksize=3, out=out)
        cpp, py_out, py_new = [], [], []
        for _ in range(n):
            cpp.append(_hkernels._cpp_box_filter_seconds(x, out, 3, 1)[0] * 1e6)
            t0 = time.perf_counter()
            hk.box_filter(x, ksize=3, out=out)
            py_out.append((time.perf_counter() - t0) * 1e6)
            t0 = time.perf_counter()
            hk.box_filter(x, ksize=3)
            py_new.append((time.perf_counter() - t0) * 1e6)
        med = [statistics.median(v) for v in (cpp, py_out, py_new)]
        low = [min(v) for v in (cpp, py_out, py_new)]
        rows.append((name, med, low))

        def fmt(k):
            return (f"{med[k] - med[0]:6.2f} us {100 * (med[k] - med[0]) / med[0]:4.1f}%, "
                    f"{low[k] - low[0]:5.2f} us {100 * (low[k] - low[0]) / low[0]:4.1f}%")

        print(f"   {name:12s} {med[0]:9.2f}/{low[0]:8.2f} {med[1]:9.2f}/{low[1]:8.2f} {med[2]:9.2f}/{low[2]:8.2f} "
              f"{fmt(1):>26s} {fmt(2):>26s}")
    return rows


def dask_throughput(size, chunk):
    import dask
    import dask.array as da
    import distributed

    import hkernels.dask as hkd

    params = dict(ksize=15, sigma=3.0, theta=0.5, lambd=8.0, gamma=0.5)
    image = np.random.default_rng(1).random((size, size), dtype=np.float32)
    mpix = size * size / 1e6
    print(f"\n2. Dask: gabor k=15 on {size}x{size} float32, chunks {chunk}x{chunk}")
    results = {}

    hk.gabor(image[:256, :256], **params)
    t0 = time.perf_counter()
    whole = hk.gabor(image, **params)
    results["one process, one call (%d threads)" % hk.num_threads()] = time.perf_counter() - t0

    arr = da.from_array(image, chunks=chunk)
    graph = hkd.filter_array(arr, "gabor", **params)
    with dask.config.set(scheduler="synchronous"):
        t0 = time.perf_counter()
        got = graph.compute()
        results["one process, dask synchronous"] = time.perf_counter() - t0
    assert np.array_equal(got, whole)

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as client:
        # (nanobind functions do not pickle: send Python functions that call them)
        client.run(lambda: hk.set_num_threads(1))
        client.run(lambda: hk.gabor(np.zeros((64, 64), np.float32), **params))  # warm the workers
        t0 = time.perf_counter()
        got = graph.compute()
        results["2 worker processes x 1 thread"] = time.perf_counter() - t0
        # The image travels to the workers as part of the graph: time a graph whose chunks are
        # made on the workers, the cluster's real use (data read where it runs).
        made = da.random.default_rng(1).random((size, size), chunks=chunk, dtype=np.float32)
        graph2 = hkd.filter_array(made, "gabor", **params)
        t0 = time.perf_counter()
        graph2.sum().compute()
        results["2 worker processes, chunks made on the workers, sum back"] = time.perf_counter() - t0
    cluster.close()
    assert np.array_equal(got, whole)
    for name, s in results.items():
        print(f"   {name:58s} {s * 1e3:9.1f} ms {mpix / s:8.1f} Mpix/s")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and a 2048x2048 Dask image")
    args = parser.parse_args()
    print(f"hkernels {hk.__version__}, CPU variant {hk.cpu_variant()}")
    overhead(500 if args.quick else 3000)
    dask_throughput(2048 if args.quick else 4096, 1024)


if __name__ == "__main__":
    main()

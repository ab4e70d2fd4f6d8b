"""Turns hk_bench's JSON (--benchmark_out=FILE --benchmark_out_format=json) into a Markdown
table: one row per op and shape, a column per implementation (median real time, ms), and
hkernels' CPU speed-up over the baseline (OpenCV or oneDNN) or, for the seed models, of fused
over unfused.

    python3 tools/bench_table.py bench.json > docs/bench.md
"""
import json
import sys
from collections import OrderedDict


def main(path):
    data = json.load(open(path))
    rows = OrderedDict()
    for b in data["benchmarks"]:
        if b.get("error_occurred") or b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b["name"].replace("/real_time", "").replace("_median", "")
        parts = name.split("/")
        impl, key = parts[-1], "/".join(parts[:-1])
        ms = b["real_time"] * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        rate = next((f"{b[k]:.3g} {k}" for k in ("GFLOP/s", "GB/s", "Mpix/s") if k in b), "")
        rows.setdefault(key, OrderedDict())[impl] = (ms, rate)
    ctx = data.get("context", {})
    print(f"Measured {ctx.get('date', '')} on {ctx.get('num_cpus', '?')} CPUs at "
          f"{ctx.get('mhz_per_cpu', '?')} MHz; threads: {ctx.get('threads (hkernels, OpenCV, oneDNN)', '?')}; "
          f"CPU variant: {ctx.get('hkernels CPU variant', '?')}; OpenCV {ctx.get('OpenCV', '?')}.\n")
    print("| op / shape | implementation: median ms (rate) | hk_cpu speed-up |")
    print("|---|---|---|")
    for key, impls in rows.items():
        cells = ", ".join(f"{impl} {ms:.3f} ({rate})" for impl, (ms, rate) in impls.items())
        speedup = ""
        base = next((impls[i][0] for i in impls if i.startswith(("opencv", "onednn"))), None)
        if "hk_cpu" in impls and base:
            speedup = f"{base / impls['hk_cpu'][0]:.2f}x vs {next(i for i in impls if i.startswith(('opencv', 'onednn')))}"
        elif "fused_cpu" in impls and "unfused_cpu" in impls:
            speedup = f"fused {impls['unfused_cpu'][0] / impls['fused_cpu'][0]:.2f}x vs unfused"
        print(f"| {key} | {cells} | {speedup} |")


if __name__ == "__main__":
    main(sys.argv[1])

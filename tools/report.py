#!/usr/bin/env python3
"""Bench report: ./hk report [--out DIR] runs the bench and writes DIR/report.md and PNG plots.

Reads Google Benchmark JSON (hk_bench --benchmark_format=json, with repetitions: medians are
used). Shows each kernel against its baseline (OpenCV, oneDNN) with its speed target (the
filters' issue and the layers' issue), the machine's own limits measured by the same run
(machine/triad/*, machine/fma_peak), each bandwidth- or compute-bound kernel as a percentage of
its limit, the per-call overhead, and the seed models fused against unfused. With --variant, the
same hkernels benchmarks run capped to another CPU variant (HK_CPU_VARIANT) get their own
columns and rows, each labelled with the variant the dispatcher reported for that run.

  tools/report.py BENCH.json [--variant avx2=BENCH_AVX2.json ...] --out DIR
  (./hk report runs the bench, and the capped runs for the lower variants this CPU has, first)
"""
import argparse
import json
import math
import pathlib
import re
import sys

# Speed targets: (op regex, shape regex, baseline impl, minimum speed-up over the baseline).
TARGETS = [
    # filters (issue 10)
    (r"box/k(3|5|15|31)", r".*", "opencv", 3.0),
    (r"derivative3x3", r".*", "opencv_filter2D", 2.0),
    (r"filter2d_7x7", r".*", "opencv", 2.0),
    (r"sep_filter2d_15", r".*", "opencv", 2.0),
    (r"gabor/k(5|7)", r".*", "opencv", 2.0),
    (r"gabor/k(15|31)", r"1920x1080x1", "opencv", 5.0),
    (r"gabor_bank_16x15x15", r".*", "opencv_16_filter2D", 15.0),
    # layers (issue 11)
    (r"conv2d/3x3_3to32", r"256x256", "onednn", 1.0),
    (r"conv2d/3x3_64to64", r"56x56", "onednn", 1.0),
    (r"conv2d/1x1_64to256", r"56x56", "onednn", 1.0),
    (r"(maxpool2x2|avgpool2x2|relu|sigmoid|gelu_erf)", r".*", "onednn", 1.0),
]
# Against the machine: (op regex, share of the limit): bandwidth-bound ops against the triad
# bandwidth at their working set, compute-bound ones against the FMA peak.
BANDWIDTH_OPS = [(r"box/k\d+", 0.50), (r"(maxpool2x2|avgpool2x2|relu|sigmoid|gelu_erf)", 0.70)]
COMPUTE_OPS = [(r"conv2d/3x3_64to64", 0.85)]
OVERHEAD_TARGET_US = 2.0  # a call on a tiny tensor
FUSION_TARGET = 2.0


def split_name(name):
    """op/params/shape/impl -> (op, shape, impl)."""
    parts = name.split("/")
    impl = parts[-1]
    shape_i = next((i for i, p in enumerate(parts) if re.fullmatch(r"\d+x\d+(x\d+)?", p)), None)
    if shape_i is None:
        return "/".join(parts[:-1]), "", impl
    return "/".join(parts[:shape_i] + parts[shape_i + 1:-1]), parts[shape_i], impl


def load(path):
    doc = json.loads(pathlib.Path(path).read_text())
    times, rates, errors, labels = {}, {}, {}, {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            errors[b["run_name"].removesuffix("/real_time")] = b.get("error_message", "")
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b["run_name"].removesuffix("/real_time")
        times[name] = b["real_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6, "s": 1e3}[b.get("time_unit", "ms")]
        rates[name] = {k: b[k] for k in ("GB/s", "GFLOP/s", "Mpix/s") if k in b}
        labels[name] = b.get("label", "")
    return doc.get("context", {}), times, rates, errors, labels


def shape_bytes(op, shape):
    """Bytes a call reads and writes once (float32 in and out)."""
    dims = [int(v) for v in shape.split("x")]
    elems = math.prod(dims)
    if op.startswith(("maxpool2x2", "avgpool2x2")):
        return 4 * elems * 1.25  # output is a quarter of the input
    return 4 * elems * 2


def triad_at(triad, working_set):
    """Triad bandwidth at the smallest measured working set that holds `working_set`."""
    fits = [(size, gbs) for size, gbs in triad if size >= working_set]
    return min(fits)[1] if fits else triad[-1][1]


def limit_of(op, table):
    return next((t for pattern, t in table if re.fullmatch(pattern, op)), None)


def fmt(v, digits=3):
    return "-" if v is None else f"{v:.{digits}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json")
    ap.add_argument("--out", default="report")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=JSON",
                    help="the hk_cpu benchmarks of a run capped to CPU variant NAME (HK_CPU_VARIANT)")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    context, times, rates, errors, labels = load(args.json)
    chosen = context.get("hkernels CPU variant", "?")
    variant_runs = []  # (capped name, variant the run reported)
    for spec in args.variant:
        name, path = spec.split("=", 1)
        vctx, vtimes, vrates, verrors, _ = load(path)
        ran = vctx.get("hkernels CPU variant", "?")
        variant_runs.append((name, ran))
        for bench, ms in vtimes.items():
            if bench.endswith("/hk_cpu"):
                times[f"{bench}[{ran}]"] = ms
                rates[f"{bench}[{ran}]"] = vrates[bench]

    triad = sorted((int(re.search(r"(\d+)KiB", n).group(1)) * 1024, rates[n]["GB/s"])
                   for n in times if n.startswith("machine/triad/"))
    fma = rates.get("machine/fma_peak", {}).get("GFLOP/s")

    rows = {}  # (op, shape) -> {impl: ms}
    for name, ms in times.items():
        if name.startswith("machine/"):
            continue
        op, shape, impl = split_name(name)
        rows.setdefault((op, shape), {})[impl] = ms
    impls = sorted({i for r in rows.values() for i in r if i.startswith("hk_")})

    md = ["# hkernels bench report", ""]
    md.append(f"Machine: {context.get('host_name', '?')}, {context.get('num_cpus', '?')} CPUs at "
              f"{context.get('mhz_per_cpu', '?')} MHz; threads: "
              f"{context.get('threads (hkernels, OpenCV, oneDNN)', '?')}; hkernels CPU variant: "
              f"{chosen} (the `hk_cpu` column); OpenCV {context.get('OpenCV', '?')}; "
              f"run {context.get('date', '?')}. Times are medians in ms.")
    for name, ran in variant_runs:
        md.append(f"Column `hk_cpu[{ran}]`: the same benchmarks with HK_CPU_VARIANT={name} (the dispatcher "
                  f"reported {ran}).")
    md.append("")
    md.append("## The machine's limits (measured by this run)")
    md.append("")
    md.append("| working set | triad GB/s |")
    md.append("|---|---|")
    for size, gbs in triad:
        md.append(f"| {size // 1024} KiB | {gbs:.1f} |")
    md.append(f"\nFMA peak: {fmt(fma, 1)} GFLOP/s ({labels.get('machine/fma_peak', '?')} FMAs on every thread).\n")

    # --- kernels vs baselines ---
    md.append("## Kernels against their baselines")
    md.append("")
    cpu_cols = ["hk_cpu"] + [c for c in impls if c.startswith("hk_cpu[")]
    md.append("| op | shape | " + " | ".join(impls) + " | baseline | baseline ms | " +
              " | ".join(f"{c} speed-up" for c in cpu_cols) + " | target | met |")
    md.append("|---|---|" + "---|" * len(impls) + "---|---|" + "---|" * len(cpu_cols) + "---|---|")
    speedups = []  # (label, speed-up, target or None)
    for (op, shape), r in sorted(rows.items()):
        if op.startswith(("model", "call_overhead")):
            continue
        base_impl = next((i for i in r if not i.startswith("hk_")), None)
        base = r.get(base_impl) if base_impl else None
        hk = r.get("hk_cpu")
        sp = base / hk if base and hk else None
        target = next((t for o, s, b, t in TARGETS
                       if re.fullmatch(o, op) and re.fullmatch(s, shape) and b == base_impl), None)
        sps = [base / r[c] if base and r.get(c) else None for c in cpu_cols]
        met = "" if target is None else ", ".join(
            f"{c.removeprefix('hk_cpu').strip('[]') or chosen}: " +
            ("yes" if v >= target else f"no ({v / target:.0%} of it)") for c, v in zip(cpu_cols, sps) if v)
        md.append(f"| {op} | {shape} | " + " | ".join(fmt(r.get(i)) for i in impls) +
                  f" | {base_impl or '-'} | {fmt(base)} | " + " | ".join(f"{fmt(v, 2)}x" for v in sps) +
                  f" | {'-' if target is None else f'{target:g}x'} | {met} |")
        if sp is not None:
            speedups.append((f"{op} {shape}", sp, target))

    # --- against the machine ---
    md.append(f"\n## Against the machine's limits (hk_cpu: {chosen})\n")
    md.append("| op | shape | achieved | limit | % of limit | target | met |")
    md.append("|---|---|---|---|---|---|---|")
    limits = []  # (label, share of the limit, target)
    for (op, shape), r in sorted(rows.items()):
        hk = r.get("hk_cpu")
        if hk is None:
            continue
        bw_target, fma_target = limit_of(op, BANDWIDTH_OPS), limit_of(op, COMPUTE_OPS)
        if bw_target and triad:
            nbytes = shape_bytes(op, shape)
            got = nbytes / (hk * 1e-3) / 1e9
            lim = triad_at(triad, nbytes)
            pct = got / lim
            md.append(f"| {op} | {shape} | {got:.1f} GB/s | {lim:.1f} GB/s (triad at {nbytes / 2**20:.1f} MiB) | "
                      f"{pct:.0%} | {bw_target:.0%} | {'yes' if pct >= bw_target else 'no'} |")
            limits.append((f"{op} {shape}", pct, bw_target))
        elif fma_target and fma:
            name = next(n for n in times if n.startswith(op) and n.endswith("/hk_cpu") and shape in n)
            got = rates[name].get("GFLOP/s")
            if got:
                pct = got / fma
                md.append(f"| {op} | {shape} | {got:.1f} GFLOP/s | {fma:.1f} GFLOP/s (FMA peak) | {pct:.0%} | "
                          f"{fma_target:.0%} | {'yes' if pct >= fma_target else 'no'} |")
                limits.append((f"{op} {shape}", pct, fma_target))

    # --- per-call overhead ---
    overhead = {impl: ms for (op, shape), r in rows.items() if op.startswith("call_overhead") for impl, ms in r.items()}
    if overhead:
        md.append("\n## Per-call overhead (relu on a 1x1x1x8 tensor)\n")
        md.append("| call | time per call | target | met |")
        md.append("|---|---|---|---|")
        for impl, ms in sorted(overhead.items()):
            us = ms * 1e3
            is_hk = impl.startswith("hk_cpu")
            md.append(f"| {impl} | {us:.3f} us | {f'{OVERHEAD_TARGET_US:g} us' if is_hk else '-'} | "
                      f"{('yes' if us <= OVERHEAD_TARGET_US else 'no') if is_hk else ''} |")

    # --- fused models ---
    md.append("\n## Seed models, fused against unfused\n")
    md.append("| model | shape | device | fused | unfused | speed-up | target | met |")
    md.append("|---|---|---|---|---|---|---|---|")
    for (op, shape), r in sorted(rows.items()):
        if not op.startswith("model"):
            continue
        for dev in sorted({i.split("_", 1)[1] for i in r}):
            f, u = r.get(f"fused_{dev}"), r.get(f"unfused_{dev}")
            if f and u:
                sp = u / f
                md.append(f"| {op} | {shape} | {dev} | {f:.3f} | {u:.3f} | {sp:.2f}x | {FUSION_TARGET:g}x | "
                          f"{'yes' if sp >= FUSION_TARGET else 'no'} |")
                if dev == "cpu":
                    speedups.append((f"{op} fused/unfused", sp, FUSION_TARGET))
    if errors:
        md.append("\n## Skipped\n")
        for name, msg in sorted(errors.items()):
            md.append(f"- {name}: {msg}")

    md.append("\n![speed-ups](speedup.png)\n\n![limits](limits.png)\n")
    (out / "report.md").write_text("\n".join(md) + "\n")
    plots(out, speedups, limits)
    print(f"wrote {out / 'report.md'}, {out / 'speedup.png'}, {out / 'limits.png'}")


def plots(out, speedups, limits):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 0.28 * len(speedups) + 1.5))
    labels = [s[0] for s in speedups]
    values = [s[1] for s in speedups]
    colors = ["tab:green" if t is not None and v >= t else ("tab:red" if t is not None else "tab:gray")
              for _, v, t in speedups]
    ax.barh(range(len(values)), values, color=colors)
    for i, (_, _, t) in enumerate(speedups):
        if t is not None:
            ax.plot([t, t], [i - 0.4, i + 0.4], color="black", lw=2)
    ax.axvline(1.0, color="gray", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("hkernels (CPU) speed-up over the baseline (OpenCV / oneDNN; models: over unfused); "
                  "black tick: target", fontsize=8)
    ax.set_title("hkernels vs baselines (green: target met, red: missed, gray: no target)")
    fig.tight_layout()
    fig.savefig(out / "speedup.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 0.3 * len(limits) + 1.5))
    ax.barh(range(len(limits)), [100 * p for _, p, _ in limits],
            color=["tab:green" if p >= t else "tab:red" for _, p, t in limits])
    for i, (_, _, t) in enumerate(limits):
        ax.plot([100 * t, 100 * t], [i - 0.4, i + 0.4], color="black", lw=2)
    ax.set_yticks(range(len(limits)), [l for l, _, _ in limits], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("% of the machine's limit (triad bandwidth at the working set, or FMA peak); black tick: target")
    ax.set_title("hkernels (CPU) against the machine")
    fig.tight_layout()
    fig.savefig(out / "limits.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())

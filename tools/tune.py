#!/usr/bin/env python3
"""The schedule tuner: ./hk tune [KERNEL ...] [--class cpu|opencl] [--shapes WxHxC,...].

For each kernel and the chosen target class it builds candidate schedules: a sweep of the hand
schedule's knobs (coordinate descent from the current choice: each knob's values in turn, the
others held), and every fresh checked-in autoscheduler schedule (./hk autoschedule). Each
candidate is built in its own build folder (build-tune-<class>: only the kernel's library is
regenerated), checked against the reference by the kernel's own tests, then timed with the
Google Benchmark binary on the shapes given (default: the bench's). Every result goes to the
tuning database (tuning/db.jsonl: kernel, shape, target, machine, candidate, times).

CPU knobs are tuned for the CPU variant this machine runs (avx512_skylake, avx2 or sse41: the
tuning build compiles that variant alone) and written under that variant in tuned.json; the
other variants keep their own entries or the schedules' analytic defaults.

The winner replaces the current choice in schedules/<class>/tuned.json only if it is faster by
more than the noise (the measured spread, at least --min-gain), so a second run on the same
machine keeps the same winners. The next normal build uses them. A before/after table ends it.
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import pathlib
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv/bin"

# The kernels (hk_add_kernel() in CMakeLists.txt) come from the tuning build's catalogue,
# <build>/hk_kernels.json: generator, params, the benchmarks that time the kernel (regex on names
# before the implementation part) and the test suites that check it. The knobs and the values to
# try are declared by each kernel's schedule (knobs.get(name, default, {values}) in
# schedules/<kernel>.h); the generator reports them (HK_DESCRIBE_KNOBS, generators/kernel_generator.h).
CPU_TARGETS = [  # best first, as HK_CPU_TARGETS; flags the CPU needs for each
    ("x86-64-linux-avx512_skylake", {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"}),
    ("x86-64-linux-avx2-fma-f16c", {"avx2", "fma", "f16c"}),
    ("x86-64-linux-sse41", {"sse4_1"}),
]
# tuned.json's name of each target's variant (schedules/knobs.h: cpu_variant_name()).
VARIANTS = {"x86-64-linux-avx512_skylake": "avx512_skylake", "x86-64-linux-avx2-fma-f16c": "avx2",
            "x86-64-linux-sse41": "sse41"}


def log(msg):
    print(msg, flush=True)


def machine():
    """The machine a timing belongs to: CPU model, cores, a hash of the CPU flags."""
    info = pathlib.Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.*)", info)
    flags = re.search(r"flags\s*:\s*(.*)", info)
    flag_set = set(flags.group(1).split()) if flags else set()
    return {"cpu": model.group(1).strip() if model else platform.processor(),
            "cores": os.cpu_count(), "flags": hashlib.sha1(" ".join(sorted(flag_set)).encode()).hexdigest()[:12],
            "hostname": platform.node()}, flag_set


def cpu_target(flag_set):
    for target, needs in CPU_TARGETS:
        if needs <= flag_set:
            return target
    return CPU_TARGETS[-1][0]


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


class Tuner:
    def __init__(self, args):
        self.args = args
        self.cls = args.cls
        self.machine, flags = machine()
        self.target = cpu_target(flags) if self.cls == "cpu" else "x86-64-linux-sse41-opencl"
        self.variant = VARIANTS[self.target] if self.cls == "cpu" else None  # whose knobs are tuned
        self.build = ROOT / f"build-tune-{self.cls}"
        self.tuned_dir = self.build / "tuned"
        self.tuned_file = ROOT / "schedules" / self.cls / "tuned.json"
        self.db = ROOT / "tuning" / "db.jsonl"
        self.tuned = json.loads(self.tuned_file.read_text()) if self.tuned_file.exists() else {"kernels": {}}
        self.kernels = {}  # the catalogue's tunable kernels, read after configure()

    def read_catalogue(self):
        catalogue = json.loads((self.build / "hk_kernels.json").read_text())
        self.kernels = {k: v for k, v in catalogue.items() if v["bench"] and v["tests"]}
        return self.kernels

    def knobs_of(self, kernel):
        """{knob: values to try} as the kernel's schedule declares them for this class's target."""
        entry = self.kernels[kernel]
        target = self.target if self.cls == "cpu" else "x86-64-linux-sse41-opencl"
        with tempfile.TemporaryDirectory() as tmp:
            listing = pathlib.Path(tmp, "knobs.txt")
            cmd = [entry["executable"], "-g", entry["generator"], "-o", tmp, "-e", "c_header",
                   f"target={target}-user_context"] + [p for p in entry["params"].split(",") if p]
            proc = run(cmd, env=dict(os.environ, HK_DESCRIBE_KNOBS=str(listing)))
            if proc.returncode:
                sys.exit(f"tune: {' '.join(map(str, cmd))} failed:\n{proc.stderr[-2000:]}")
            knobs = {}
            for line in listing.read_text().splitlines() if listing.exists() else []:
                name, default, *values = line.split()
                knobs[name] = sorted(set(int(v) for v in values) | {int(default)})
        return knobs

    # --- build ---
    def write_candidate_file(self, doc):
        path = self.tuned_dir / self.cls / "tuned.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(doc, indent=1)
        if path.exists() and path.read_text() == text:
            return False
        path.write_text(text)
        return True

    def configure(self):
        self.write_candidate_file(self.tuned)
        if (self.build / "build.ninja").exists():
            return
        halide = run([VENV / "python", "-c", "import halide; print(halide.install_dir())"], check=True).stdout.strip()
        log(f"configuring {self.build.name} (CPU target {self.target})")
        proc = run([VENV / "cmake", "-S", ROOT, "-B", self.build, "-G", "Ninja",
                    f"-DCMAKE_MAKE_PROGRAM={VENV / 'ninja'}", "-DCMAKE_BUILD_TYPE=Release",
                    f"-DHalide_DIR={halide}/lib64/cmake/Halide", f"-DHK_TUNED_DIR={self.tuned_dir}",
                    f"-DHK_CPU_TARGETS={self.target if self.cls == 'cpu' else CPU_TARGETS[-1][0]}",
                    "-DHK_ENABLE_CUDA=OFF", f"-DHK_ENABLE_OPENCL={'ON' if self.cls == 'opencl' else 'OFF'}",
                    "-DHK_BUILD_EXAMPLES=OFF"])
        if proc.returncode:
            sys.exit(f"tune: configure failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
        # A first full build: the generators report their knobs (knobs_of) before any candidate.
        log(f"building {self.build.name} once (generators, tests, bench) ...")
        proc = run([VENV / "cmake", "--build", self.build, "--target", "hk_bench", "hk_tests", "--",
                    f"-j{self.args.jobs}"])
        if proc.returncode:
            sys.exit(f"tune: the first build failed:\n{(proc.stdout + proc.stderr)[-3000:]}")

    def build_candidate(self, kernel, choice):
        """Writes the candidate into the tuning build's tuned.json and rebuilds what it changes."""
        doc = json.loads(json.dumps(self.tuned))
        doc.setdefault("kernels", {})[kernel] = self.entry_with(doc["kernels"].get(kernel, {}), choice)
        configure_output = ""
        if self.write_candidate_file(doc):
            # Configure again explicitly: the kernel's generator parameters come from this file.
            proc = run([VENV / "cmake", self.build])
            if proc.returncode:
                return f"configure failed: {(proc.stdout + proc.stderr)[-300:]}"
            configure_output = " ".join((proc.stdout + proc.stderr).split())
        # The candidate must reach the generator: its command line names the knobs or schedule.
        prefix = f"{self.variant}." if self.variant else ""
        expected = [f"{prefix}{k}:{v}" for k, v in choice["knobs"].items() if v] if choice["schedule"] == "hand" \
            else [f"checked_in_schedule={kernel}_{self.cls}_{choice['schedule'].lower()}"]
        ninja = (self.build / "build.ninja").read_text()
        line = next((l for l in ninja.splitlines() if f"-f hk_{kernel}_{self.cls} " in l), "")
        if not all(e in line for e in expected):
            # A stale checked-in schedule: the configure step says why (HkSchedules.cmake).
            why = re.search(rf"kernel {kernel} \({self.cls}\) was tuned to .*?Falling back to the hand schedule\.",
                            configure_output)
            return (why.group(0) if why else
                    f"the build did not pick the candidate up (expected {expected} in the generator command)")
        proc = run([VENV / "cmake", "--build", self.build, "--target", "hk_bench", "hk_tests", "--",
                    f"-j{self.args.jobs}"])
        if proc.returncode:
            errors = [l for l in (proc.stdout + proc.stderr).splitlines() if "rror" in l]
            return (errors or ["build failed"])[0][:300]
        return None

    # --- check and time ---
    def check(self, kernel):
        # The kernel's test suites, this class's device only (test names end /<device>...).
        gfilter = ":".join(f"{suite}/{self.cls}*" for suite in self.kernels[kernel]["tests"].split(":"))
        env = dict(os.environ, POCL_CACHE_DIR=str(self.build / "pocl-cache"))
        proc = run([self.build / "tests" / "hk_tests", f"--gtest_filter={gfilter}", "--gtest_brief=1"],
                   env=env, timeout=900)
        if proc.returncode:
            failed = [l for l in proc.stdout.splitlines() if l.startswith("[  FAILED")]
            return f"{len(failed)} tests failed, first: {failed[0] if failed else proc.stdout[-300:]}"
        return None

    def bench(self, kernel):
        # Names end with the implementation (hk_<device>, fused_<device>), then /real_time.
        impl = self.cls if "fused_" in self.kernels[kernel]["bench"] else f".*hk_{self.cls}"
        regex = f"^{self.kernels[kernel]['bench']}{impl}/real_time$"
        out = self.build / "tune_bench.json"
        cmd = [self.build / "bench" / "hk_bench", f"--benchmark_filter={regex}",
               f"--benchmark_repetitions={self.args.repetitions}", "--benchmark_report_aggregates_only=true",
               f"--benchmark_min_time={self.args.min_time}", f"--benchmark_out={out}", "--benchmark_out_format=json"]
        if self.args.shapes:
            cmd.append(f"--hk_shapes={self.args.shapes}")
        env = dict(os.environ, HK_BENCH_THREADS=str(self.args.threads))
        proc = run(cmd, env=env, timeout=1800)
        if proc.returncode:
            return None, f"bench failed: {proc.stderr[-300:]}"
        results = {}
        for b in json.loads(out.read_text())["benchmarks"]:
            if b.get("error_occurred"):
                return None, f"bench error: {b.get('error_message')}"
            name = b["run_name"].removesuffix("/real_time")
            r = results.setdefault(name, {})
            if b.get("aggregate_name") in ("median", "mean", "stddev"):
                r[b["aggregate_name"]] = b["real_time"]  # ms (the benchmarks' unit)
        if not results:
            return None, f"no benchmark matched {regex}"
        return results, None

    # --- search ---
    def current_choice(self, kernel):
        """The kernel's schedule as it stands: tuned.json's entry, else the hand defaults (0)."""
        entry = self.tuned.get("kernels", {}).get(kernel, {})
        knobs = {k: 0 for k in self.knobs_of(kernel)}
        knobs.update(self.knob_holder(entry).get("knobs", {}))
        return {"schedule": entry.get("schedule", "hand"), "knobs": knobs}

    def knob_holder(self, entry):
        """Where a kernel's entry keeps this class's knobs: its variant's entry on the CPU."""
        return entry.get("variants", {}).get(self.variant, {}) if self.variant else entry

    def entry_with(self, entry, choice, tuned=None):
        """A copy of the kernel's tuned.json entry with `choice` as this class (variant)'s choice."""
        entry = json.loads(json.dumps(entry))
        entry["schedule"] = choice["schedule"]
        holder = {"knobs": {k: v for k, v in choice["knobs"].items() if v}}
        if tuned:
            holder["tuned"] = tuned
        if self.variant:
            entry.setdefault("variants", {})[self.variant] = holder
        else:
            entry.update(holder)
        return entry

    def autoscheduled(self, kernel, knobs):
        for path in sorted((ROOT / "schedules" / self.cls / "auto").glob(f"{kernel}.*.schedule.h")):
            m = re.search(r"autoscheduler=(\S+)", path.read_text().splitlines()[0])
            if m:
                yield {"schedule": m.group(1), "knobs": knobs}

    def record(self, kernel, choice, results, status):
        self.db.parent.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        with self.db.open("a") as f:
            for name, r in (results or {"(none)": {}}).items():
                parts = name.split("/")
                shape = next((p for p in parts if re.fullmatch(r"\d+x\d+(x\d+)?", p)), "")
                f.write(json.dumps({"time": now, "kernel": kernel, "benchmark": name, "shape": shape,
                                    "class": self.cls, "target": self.target, "machine": self.machine,
                                    "threads": self.args.threads, "schedule": choice["schedule"],
                                    "knobs": choice["knobs"], "status": status,
                                    "median_ms": r.get("median"), "mean_ms": r.get("mean"),
                                    "stddev_ms": r.get("stddev")}, sort_keys=True) + "\n")

    def evaluate(self, kernel, choice, tried):
        """Builds, checks and times one candidate; returns (score, spread, choice, results) or None."""
        key = describe(choice)
        if key in tried:
            return tried[key]
        t0 = time.time()
        log(f"  [{len(tried) + 1}] {key:48s} building ...")
        err = self.build_candidate(kernel, choice)
        if err is None:
            log("      checking against the reference ...")
            err = self.check(kernel)
        results = None
        if err is None:
            log("      timing ...")
            results, err = self.bench(kernel)
        if err is not None:
            log(f"      rejected: {err}")
            self.record(kernel, choice, None, err)
            tried[key] = None
            return None
        self.record(kernel, choice, results, "ok")
        logs = [math.log(r["median"]) for r in results.values()]
        score = math.exp(sum(logs) / len(logs))  # geometric mean of the medians, ms
        spread = max(r.get("stddev", 0) / r["mean"] for r in results.values() if r.get("mean"))
        log(f"      {score:.4f} ms (geomean of {len(results)}), spread {100 * spread:.1f}%, {time.time() - t0:.0f} s")
        tried[key] = (score, spread, choice, results)
        return tried[key]

    def tune(self, kernel):
        current = self.current_choice(kernel)
        log(f"\n== {kernel} ({self.cls}, {self.target}{', variant ' + self.variant if self.variant else ''}); "
            f"current: {describe(current)}")
        tried = {}
        before = self.evaluate(kernel, current, tried)
        # Coordinate descent over the hand knobs, from the current knob values.
        best_hand = before if current["schedule"] == "hand" else \
            self.evaluate(kernel, {"schedule": "hand", "knobs": current["knobs"]}, tried)
        for knob, values in self.knobs_of(kernel).items():
            for v in values:
                base = best_hand[2]["knobs"] if best_hand else current["knobs"]
                e = self.evaluate(kernel, {"schedule": "hand", "knobs": dict(base, **{knob: v})}, tried)
                if e and (best_hand is None or e[0] < best_hand[0]):
                    best_hand = e
        for choice in self.autoscheduled(kernel, best_hand[2]["knobs"] if best_hand else current["knobs"]):
            self.evaluate(kernel, choice, tried)
        passed = [e for e in tried.values() if e]
        if not passed:
            log(f"  no candidate passed: {kernel} keeps its current schedule")
            return None
        winner = min(passed, key=lambda e: e[0])
        if before is not None and winner is not before:
            # Confirm on fresh runs, alternating, so a noisy first timing of either side (another
            # process, a frequency change) cannot decide alone.
            log(f"  confirming {describe(winner[2])} against {describe(before[2])} ...")
            runs = {"before": [before], "winner": [winner]}
            for _ in range(self.args.confirm):
                for side, entry in (("before", before), ("winner", winner)):
                    again = self.evaluate(kernel, entry[2], {})
                    if again:
                        runs[side].append(again)
            b_score = statistics.median(e[0] for e in runs["before"])
            w_score = statistics.median(e[0] for e in runs["winner"])
            spread = max(e[1] for e in runs["before"] + runs["winner"])
            noise = max(self.args.min_gain, 2 * spread)
            if w_score > b_score * (1 - noise):
                log(f"  {describe(winner[2])} at {w_score:.4f} ms is within the noise ({100 * noise:.1f}%) "
                    f"of the current {b_score:.4f} ms (medians of {len(runs['before'])} runs): current kept")
                winner = before
            else:
                log(f"  {describe(winner[2])}: {w_score:.4f} ms against {b_score:.4f} ms "
                    f"(medians of {len(runs['before'])} runs, noise {100 * noise:.1f}%)")
                winner = (w_score, winner[1], winner[2], winner[3])
                before = (b_score, before[1], before[2], before[3])
        log(f"  winner: {describe(winner[2])}")
        return before, winner

    def write(self, kernel, before, winner):
        tuned = {"target": self.target, "machine": self.machine, "threads": self.args.threads,
                 "shapes": self.args.shapes or "bench defaults",
                 "date": datetime.date.today().isoformat(),
                 "geomean_ms_before": round(before[0], 5) if before else None,
                 "geomean_ms_after": round(winner[0], 5)}
        kernels = self.tuned.setdefault("kernels", {})
        kernels[kernel] = self.entry_with(kernels.get(kernel, {}), winner[2], tuned)
        self.tuned_file.write_text(json.dumps(self.tuned, indent=2, sort_keys=True) + "\n")


def describe(choice):
    knobs = ",".join(f"{k}={v}" for k, v in sorted(choice["knobs"].items()) if v)
    return choice["schedule"] if choice["schedule"] != "hand" else f"hand[{knobs or 'defaults'}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kernels", nargs="*", help="kernels to tune (default: every kernel of the catalogue "
                                               "that names its benchmarks and tests)")
    ap.add_argument("--class", dest="cls", default="cpu", choices=["cpu", "opencl"])
    ap.add_argument("--shapes", help="image shapes WxHxC,... for the filter, pooling and activation "
                                     "benchmarks (default: the bench's own)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--min-time", default="0.1", help="seconds per repetition (Google Benchmark)")
    ap.add_argument("--min-gain", type=float, default=0.03, help="smallest gain that replaces the current choice")
    ap.add_argument("--confirm", type=int, default=2, help="fresh runs of both sides before a change")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--dry-run", action="store_true", help="tune and record, but leave schedules/ as it is")
    args = ap.parse_args()
    tuner = Tuner(args)
    tuner.configure()
    kernels = tuner.read_catalogue()
    for k in args.kernels:
        if k not in kernels:
            sys.exit(f"tune: unknown kernel '{k}' (tunable: {', '.join(kernels)})")
    rows = []
    for kernel in args.kernels or list(kernels):
        outcome = tuner.tune(kernel)
        if outcome is None:
            continue
        before, winner = outcome
        if not args.dry_run:
            tuner.write(kernel, before, winner)
        for name, r in winner[3].items():
            b = before[3].get(name, {}).get("median") if before else None
            rows.append((kernel, name, b, r["median"], describe(winner[2])))
    log("\n| kernel | benchmark | before (ms) | after (ms) | speed-up | winner |\n|---|---|---|---|---|---|")
    for kernel, name, b, a, w in rows:
        log(f"| {kernel} | {name} | {b:.4f} | {a:.4f} | {b / a:.2f}x | {w} |" if b else
            f"| {kernel} | {name} | - | {a:.4f} | - | {w} |")
    if not args.dry_run:
        log(f"\nwinners written to {tuner.tuned_file.relative_to(ROOT)}; the next build uses them")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Regenerates the checked-in autoscheduler schedules: ./hk autoschedule [KERNEL ...] [options].

For each kernel (default: every kernel of the build's catalogue, build/hk_kernels.json) and
target class, runs the build's generator binary with an autoscheduler plugin and writes
schedules/<class>/auto/<kernel>.<autoscheduler>.schedule.h, headed by a provenance line
(Halide version, target, algorithm hash) that cmake/HkSchedules.cmake checks on every build.
Never part of the normal build: autoschedulers are slow and their output changes between Halide
versions, which is why their schedules are checked in.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Per target class: the Halide target the schedules are made for, and the autoschedulers.
# The CPU target is the middle of the build's multi-target list (what this machine runs);
# its schedules are applied to every CPU target of the library.
CLASSES = {
    "cpu": ("x86-64-linux-avx2-fma-f16c", ["Adams2019", "Mullapudi2016"]),
    "opencl": ("x86-64-linux-sse41-opencl", ["Anderson2021", "Li2018", "Mullapudi2016"]),
    "cuda": ("x86-64-linux-sse41-cuda-cuda_capability_80", ["Anderson2021", "Li2018", "Mullapudi2016"]),
}
# Autoscheduler parameters. parallelism: cores of the 2-core CI machine for CPU and PoCL, SMs
# of an A100/H100 for CUDA. Adams2019's beam is small: the default takes minutes a pipeline
# for the same cost (shared/HALIDE_NOTES.md).
PARAMS = {
    "Adams2019": {"parallelism": "2", "beam_size": "4"},
    "Mullapudi2016": {"parallelism": "2"},
    "Li2018": {"parallelism": "2"},
    "Anderson2021": {"parallelism": "108", "beam_size": "4"},
}
PLUGIN_EXTRA = {"Mullapudi2016": {"opencl": {"experimental_gpu_schedule": "1"},
                                  "cuda": {"experimental_gpu_schedule": "1"}},
                "Anderson2021": {"opencl": {"parallelism": "16"}}}  # PoCL: work-groups over 2 cores


def halide_info():
    import halide  # the venv's pinned wheel
    root = pathlib.Path(halide.install_dir())
    version = None
    for line in (root / "lib64/cmake/Halide/HalideConfigVersion.cmake").read_text().splitlines():
        m = re.match(r'set\(PACKAGE_VERSION "([^"]+)"\)', line)
        if m:
            version = m.group(1)
    return root, version


def read_catalogue(build_dir):
    """{kernel: (generator, params, generator executable, target classes built)} from the build's catalogue."""
    path = build_dir / "hk_kernels.json"
    if not path.exists():
        sys.exit(f"autoschedule: {path} is missing: build first (./hk build)")
    return {k: (v["generator"], v["params"], v["executable"], v.get("classes", "cpu;opencl;cuda").split(";"))
            for k, v in json.loads(path.read_text()).items()}


def algorithm_hash(cmake, generator, params):
    out = subprocess.run([cmake, f"-DGENERATOR={generator}", f"-DPARAMS={params}", "-P",
                          str(ROOT / "cmake/HkSchedules.cmake")], check=True, capture_output=True,
                         text=True)
    return out.stdout.strip()


def make_compilable(body, halide_root, tmp):
    # Anderson2021 writes a stray generator-only line that shadows the function's parameter.
    body = body.replace("    auto pipeline = get_pipeline();\n", "")
    declared = set()
    for _ in range(40):
        header = tmp / "check.schedule.h"
        header.write_text(body)
        source = tmp / "check.cpp"
        source.write_text(f'#include "{header}"\n')
        proc = subprocess.run(["c++", "-std=c++17", "-fsyntax-only", f"-I{halide_root / 'include'}",
                               str(source)], capture_output=True, text=True)
        if proc.returncode == 0:
            return body, None
        errors = [l.split("error: ")[-1] for l in proc.stderr.splitlines() if "error: " in l]
        missing = [m.group(1) for e in errors
                   for m in [re.match(r"[‘'](\w+)[’'] was not declared in this scope", e)] if m]
        new = [v for v in dict.fromkeys(missing) if v not in declared]
        if not new:
            return body, (errors or ["(no message)"])[0][:200]
        declared.update(new)
        decls = "".join(f'    Var {v}("{v}");\n' for v in new)
        body = body.replace("    using ::Halide::Var;\n", "    using ::Halide::Var;\n" + decls, 1)
    return body, "too many undeclared names"


def run_one(args, halide_root, version, kernel, generator, params, executable, cls, scheduler, cmake):
    target, _ = CLASSES[cls]
    name = f"{kernel}_{cls}_{scheduler.lower()}"
    plugin = halide_root / "lib64" / f"libautoschedule_{scheduler.lower()}.so"
    knobs = dict(PARAMS[scheduler])
    knobs.update(PLUGIN_EXTRA.get(scheduler, {}).get(cls, {}))
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [executable, "-g", generator, "-f", name, "-e", "schedule",
               "-o", tmp, "-p", str(plugin), f"target={target}-user_context",
               f"autoscheduler={scheduler}"]
        cmd += [f"autoscheduler.{k}={v}" for k, v in knobs.items()]
        cmd += [p for p in params.split(",") if p]
        start = time.time()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            return f"timed out after {args.timeout} s"
        if proc.returncode != 0:
            lines = [l for l in proc.stderr.splitlines() if l.strip() and l.strip() != "..."]
            errors = [l for l in lines if "rror" in l] or lines or ["(no message)"]
            return f"failed: {errors[0].strip()[:240]}"
        body = pathlib.Path(tmp, f"{name}.schedule.h").read_text()
        # Mullapudi2016 uses the pipeline's Vars without declaring them; Vars are matched by
        # name, so declaring each by its own name is what the missing lines would do. Code that
        # still does not compile (Li2018 declares no Funcs and keeps '$' in names) would break
        # every build: such a schedule is not written.
        body, err = make_compilable(body, halide_root, pathlib.Path(tmp))
        if err:
            return f"does not compile: {err}"
        if cls != "cpu" and ".gpu_blocks(" not in body and ".gpu_tile(" not in body:
            return "no GPU loops: every stage would run on the host"
    provenance = (f"// hk-provenance: kernel={kernel} class={cls} generator={generator} "
                  f"params={params} autoscheduler={scheduler} halide={version} target={target} "
                  f"algorithm={algorithm_hash(cmake, generator, params)}\n"
                  f"// Regenerate with: ./hk autoschedule {kernel} --class {cls} "
                  f"--autoscheduler {scheduler}\n")
    out = ROOT / "schedules" / cls / "auto" / f"{kernel}.{scheduler.lower()}.schedule.h"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(provenance + body)
    return f"ok ({time.time() - start:.1f} s) -> {out.relative_to(ROOT)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kernels", nargs="*", help="kernels (default: all float32 kernels)")
    ap.add_argument("--class", dest="classes", action="append", choices=sorted(CLASSES),
                    help="target class (repeatable; default: cpu and opencl)")
    ap.add_argument("--autoscheduler", action="append",
                    help="autoscheduler (repeatable; default: the class's list)")
    ap.add_argument("--build-dir", type=pathlib.Path, default=ROOT / "build")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per run")
    args = ap.parse_args()
    halide_root, version = halide_info()
    cmake = str(ROOT / ".venv/bin/cmake")
    catalogue = read_catalogue(args.build_dir)
    # uint8 variants share the float32 kernels' hand knobs; they have no schedules of their own.
    kernels = args.kernels or [k for k in catalogue if not k.endswith("_u8")]
    failures = 0
    for cls in args.classes or ["cpu", "opencl"]:
        for scheduler in args.autoscheduler or CLASSES[cls][1]:
            for kernel in kernels:
                if kernel not in catalogue:
                    sys.exit(f"autoschedule: no kernel '{kernel}' (known: {', '.join(catalogue)})")
                generator, params, executable, built = catalogue[kernel]
                if cls not in built:  # e.g. the FFT path: CPU only
                    continue
                print(f"[{cls}] {scheduler:14s} {kernel:28s} ...", end=" ", flush=True)
                result = run_one(args, halide_root, version, kernel, generator, params, executable, cls, scheduler, cmake)
                failures += not result.startswith("ok")
                print(result, flush=True)
    print(f"{failures} failed" if failures else "all written")


if __name__ == "__main__":
    main()

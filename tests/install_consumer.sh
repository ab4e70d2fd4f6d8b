#!/usr/bin/env bash
# Installs hkernels from BUILD_DIR into a fresh prefix, builds the consumer project against it
# with SYSTEM_CMAKE (not the venv's), runs it and checks what it prints.
set -euo pipefail
project_cmake="$1" system_cmake="$2" build_dir="$3" consumer_src="$4" work="$5"
rm -rf "$work"
mkdir -p "$work"
"$project_cmake" --install "$build_dir" --prefix "$work/prefix" >/dev/null
echo "installed: $(cd "$work/prefix" && find . -type f | sort | tr '\n' ' ')"
# Nothing of Halide may be needed: a clean environment, only the prefix on the search path.
env -i PATH=/usr/bin:/bin HOME="$work" "$system_cmake" -S "$consumer_src" -B "$work/build" \
    -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
env -i PATH=/usr/bin:/bin HOME="$work" "$system_cmake" --build "$work/build" >/dev/null
echo "consumer built with $("$system_cmake" --version | head -1)"
output="$("$work/build/hk_consumer")"
echo "$output"
grep -qx "consumer ok" <<<"$output"

#!/usr/bin/env bash
# Builds and runs the API fuzz target (tests/fuzz) against a configured build:
#   tools/fuzz.sh BUILD_DIR SECONDS      fuzz for SECONDS (new corpus in BUILD_DIR/fuzz/corpus)
#   tools/fuzz.sh BUILD_DIR regressions  run the checked-in inputs (tests/fuzz/regressions) once
#   tools/fuzz.sh BUILD_DIR build-only   only (re)build the target
# A crash leaves its input in BUILD_DIR/fuzz/crashes/; add it to tests/fuzz/regressions/ with the
# fix, so the regression run keeps it fixed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$(cd "${1:?usage: tools/fuzz.sh BUILD_DIR SECONDS|regressions|build-only}" && pwd)"
what="${2:?usage: tools/fuzz.sh BUILD_DIR SECONDS|regressions|build-only}"
cmake="$root/.venv/bin/cmake"
fuzz_dir="$build_dir/fuzz"
clangxx="$(command -v clang++ || command -v clang++-14 || true)"
[ -n "$clangxx" ] || { echo "fuzz: clang++ not found (tools/setup.sh installs clang)" >&2; exit 1; }

if [ ! -f "$fuzz_dir/build.ninja" ]; then
    "$cmake" -S "$root/tests/fuzz" -B "$fuzz_dir" -G Ninja -DCMAKE_MAKE_PROGRAM="$root/.venv/bin/ninja" \
        -DCMAKE_CXX_COMPILER="$clangxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHK_BUILD_DIR="$build_dir" >/dev/null
fi
"$cmake" --build "$fuzz_dir" >/dev/null
[ "$what" = build-only ] && exit 0

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp"
if [ "$what" = regressions ]; then
    shopt -s nullglob
    inputs=("$root"/tests/fuzz/regressions/*)
    [ ${#inputs[@]} -gt 0 ] || { echo "fuzz: no regression inputs"; exit 0; }
    exec "$fuzz_dir/hk_api_fuzz" "${inputs[@]}"
fi
mkdir -p "$fuzz_dir/corpus" "$fuzz_dir/crashes"
# The checked-in seeds and regressions start the corpus; new inputs go to the build's corpus.
exec "$fuzz_dir/hk_api_fuzz" -max_total_time="$what" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$fuzz_dir/crashes/" "$fuzz_dir/corpus" "$root/tests/fuzz/regressions"

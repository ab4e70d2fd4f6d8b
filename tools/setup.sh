#!/usr/bin/env bash
# One-time (idempotent) set-up shared by the README commands:
#  - Debian packages the build, tests and benches need;
#  - a project-local virtualenv (.venv) with the pinned Halide SDK and a CMake >= 3.28.
# Quick when already done: it only checks and returns.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

HALIDE_VERSION=21.0.0
CMAKE_SPEC="cmake>=3.28,<4.2"
NINJA_SPEC="ninja>=1.11"
APT_PACKAGES=(
  build-essential pkg-config python3-venv
  libgtest-dev libgmock-dev libbenchmark-dev
  pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo
  libpng-dev libjpeg-dev
  libopencv-dev libdnnl-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The venv's python must match the wheel tags pip can find; any CPython 3.8+ works.
PY="${HK_PYTHON:-python3}"
stamp=".venv/.hk-setup-$HALIDE_VERSION"
if [ ! -f "$stamp" ]; then
  echo "[setup] creating .venv with halide==$HALIDE_VERSION and $CMAKE_SPEC"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q "halide==$HALIDE_VERSION" "$CMAKE_SPEC" "$NINJA_SPEC"
  touch "$stamp"
fi

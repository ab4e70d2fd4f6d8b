#!/usr/bin/env bash
# One-time (idempotent) set-up shared by the README commands:
#  - Debian packages the build, tests and benches need;
#  - a project-local virtualenv (.venv) with the pinned Halide SDK and a CMake >= 3.28;
#  - with --python: only python3-dev and .venv-python, for the Python package and its tests
#    (./hk runs the plain set-up first).
# Quick when already done: it only checks and returns.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

HALIDE_VERSION=21.0.0
CMAKE_SPEC="cmake>=3.28,<4.2"
NINJA_SPEC="ninja>=1.11"
APT_PACKAGES=(
  build-essential pkg-config python3-venv
  cmake  # the system's own CMake: the install test builds a consumer project with it
  libgtest-dev libgmock-dev libbenchmark-dev
  pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo
  libpng-dev libjpeg-dev
  libopencv-dev libdnnl-dev
  clang libclang-rt-14-dev  # the fuzz test: libFuzzer with ASan/UBSan (tests/fuzz)
)

# ./hk preset aarch64 also needs the cross compiler and qemu-user (tests run under emulation).
if [ "${1:-}" = "--cross-aarch64" ]; then
  APT_PACKAGES=(g++-aarch64-linux-gnu qemu-user)
fi

# ./hk python and ./hk test (--python): Python's headers for the extension module; then the
# second venv below.
python_mode=0
if [ "${1:-}" = "--python" ]; then
  python_mode=1
  APT_PACKAGES=(python3-dev python3-venv)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "[setup] error: missing Debian packages (${missing[*]}) and not root, no sudo: install them as root" >&2
      exit 1
    fi
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ./hk python and ./hk test: a second venv, .venv-python, for the Python package (python/) and
# its tests: the build tools (nanobind, scikit-build-core) and what the tests and examples use
# (numpy, pytest, Keras with TensorFlow, Dask, Pillow, JAX). Separate from .venv so that the package is
# tested where no Halide is installed (it needs none at run time), and so that TensorFlow's pins
# never move the C++ build's tools. Its own stamp: re-run when a pin changes.
if [ "$python_mode" = 1 ]; then
  PY="${HK_PYTHON:-python3}"
  PY_PACKAGES=(
    "nanobind==3.1.0" "scikit-build-core==1.1.2" "cmake>=3.28,<4.2" "ninja>=1.11"
    "numpy==2.4.6" "pytest==9.2.0" "pillow==13.0.0"
    "keras==3.15.1" "tensorflow-cpu==2.21.0" "dask[array,distributed]==2026.8.0" "jax[cpu]==0.10.2"
    "torch==2.15.0"  # for the zero-copy test of PyTorch tensors; PyPI's wheel carries CUDA (~4 GB)
  )
  stamp=".venv-python/.hk-python-$(echo "${PY_PACKAGES[*]}" | md5sum | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    echo "[setup] creating .venv-python with ${PY_PACKAGES[*]}"
    [ -x .venv-python/bin/python ] || "$PY" -m venv .venv-python
    .venv-python/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv-python/bin/python -m pip install -q "${PY_PACKAGES[@]}"
    rm -f .venv-python/.hk-python-*
    touch "$stamp"
  fi
  exit 0
fi

# The venv's python must match the wheel tags pip can find; any CPython 3.8+ works.
PY="${HK_PYTHON:-python3}"
# The stamp names everything pinned, so changing a pin re-runs the install.
stamp=".venv/.hk-setup-$(echo "halide==$HALIDE_VERSION $CMAKE_SPEC $NINJA_SPEC" | md5sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "[setup] creating .venv with halide==$HALIDE_VERSION and $CMAKE_SPEC"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q "halide==$HALIDE_VERSION" "$CMAKE_SPEC" "$NINJA_SPEC"
  rm -f .venv/.hk-setup-*
  touch "$stamp"
fi

# A fixed path to the Halide package for CMakePresets.json (the wheel's own path names the
# Python version). A link to the package root, not to its cmake/ folders: Halide's CMake files
# find the libraries relative to where they are read from.
halide_root="$(ls -d "$root"/.venv/lib/python3*/site-packages/halide | head -1)"
[ "$(readlink .venv/halide-root 2>/dev/null)" = "$halide_root" ] || ln -sfn "$halide_root" .venv/halide-root
rm -f .venv/halide-cmake .venv/halide-helpers-cmake  # links of an earlier layout

"""The installed package: type stubs, and no Halide at run time."""
import os

import numpy as np

import hkernels as hk


def test_stubs_and_marker_are_installed():
    pkg = os.path.dirname(hk.__file__)
    assert os.path.exists(os.path.join(pkg, "py.typed"))
    stub = open(os.path.join(pkg, "_hkernels.pyi")).read()
    for name in ("def gabor(", "def conv2d(", "class Sequential", "class Border(enum.Enum)", "def run_model("):
        assert name in stub
    assert "-> NDArray:" in stub and "kernel: ArrayLike" in stub  # tools/refine_stub.py ran
    assert hk.gabor.__doc__ and "getGaborKernel" in hk.gabor.__doc__


def test_no_halide_library_is_loaded():
    hk.gabor(np.ones((8, 8), np.float32), ksize=3, sigma=1.0, lambd=2.0, device="cpu")
    with open("/proc/self/maps") as maps:
        loaded = maps.read()
    assert "libHalide" not in loaded  # the kernels are compiled ahead of time into the module

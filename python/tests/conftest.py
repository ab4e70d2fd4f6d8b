"""The tests import the *installed* hkernels (./hk python, or pip install ./python): the source
folder python/hkernels has no compiled extension, so it must not shadow the installed package
when pytest runs from python/."""
import os
import sys

_source_root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.getcwd()) != _source_root]
sys.path.insert(0, os.path.dirname(__file__))  # reference.py

import hkernels  # noqa: E402

# Probe the devices before any test imports TensorFlow: PoCL (OpenCL on the CPU) crashes when it
# is loaded after TensorFlow (both bring LLVM), and hkernels would then disable OpenCL.
hkernels.available_devices()


def pytest_configure(config):
    config.addinivalue_line("markers", "late: imports TensorFlow or JAX, which bring LLVM (run after every other test)")


def pytest_collection_modifyitems(session, config, items):
    # TensorFlow last: once it is loaded, PoCL cannot build OpenCL kernels in this process (its
    # clang binds to TensorFlow's LLVM), so the OpenCL tests must run before it is imported. The
    # TensorFlow tests import it in fixtures, not at collection.
    items.sort(key=lambda item: item.get_closest_marker("late") is not None)

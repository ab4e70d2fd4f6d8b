"""Refines the stub nanobind.stubgen writes for hkernels._hkernels: the ops take `out`, kernels,
weights and biases as plain objects (to return that very `out` array, and to accept lists and
any array-like) and return nb::object; in the stub they are numpy arrays and ArrayLikes.
Usage: refine_stub.py RAW.pyi OUT.pyi"""
import re
import sys

raw, out = sys.argv[1], sys.argv[2]
text = open(raw).read()
text = text.replace("out: object | None = None) -> object:", "out: NDArray | None = None) -> NDArray:")
text = text.replace("-> object:", "-> NDArray:")  # gabor_kernel, derivative_kernel, Sequential.__call__ ...
text = re.sub(r"\b(kernel|kernel_x|kernel_y|weights|bias): object", r"\1: ArrayLike", text)
text = text.replace("from numpy.typing import NDArray", "from numpy.typing import ArrayLike, NDArray")
open(out, "w").write(text)

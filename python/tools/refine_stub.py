"""Refines the stub nanobind.stubgen writes for hkernels._hkernels: the ops take `out` as a plain
object (so that they can return that very array) and return nb::object; in the stub both are
numpy arrays. Usage: refine_stub.py RAW.pyi OUT.pyi"""
import sys

raw, out = sys.argv[1], sys.argv[2]
text = open(raw).read()
text = text.replace("out: object | None = None) -> object:", "out: NDArray | None = None) -> NDArray:")
text = text.replace("-> object:", "-> NDArray:")  # gabor_kernel, derivative_kernel, Sequential.__call__ ...
text = text.replace("ArrayLike_", "")
open(out, "w").write(text)

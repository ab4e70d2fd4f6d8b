"""hkernels' exceptions: one class per hk::StatusCode, raised with the Status' message.

Invalid arguments are ValueErrors (InvalidArgumentError, ShapeMismatchError, UnsupportedError);
device and runtime failures are RuntimeErrors (DeviceError, HkRuntimeError). Each instance has
`code`, the StatusCode's name ("invalid_argument", ...). Wrong Python types (a float64 or None
input, an input in GPU memory) are TypeErrors.
"""


class HkError(Exception):
    """Base class of every error an hk:: Status reports."""

    code = "unknown"


class InvalidArgumentError(HkError, ValueError):
    """A parameter is out of range, NaN or inconsistent (StatusCode::invalid_argument)."""


class ShapeMismatchError(HkError, ValueError):
    """Tensor shapes do not fit together (StatusCode::shape_mismatch)."""


class UnsupportedError(HkError, ValueError):
    """Valid, but outside what this build supports, e.g. non-contiguous channels, > 2 GiB tensors
    (StatusCode::unsupported)."""


class HkRuntimeError(HkError, RuntimeError):
    """A kernel failed while running: device error, out of memory (StatusCode::runtime_error)."""


class DeviceError(HkRuntimeError):
    """The requested device is absent or was not compiled in (StatusCode::device_unavailable)."""


# Shown as hkernels.InvalidArgumentError etc. in tracebacks (the classes are exported there).
for _cls in (HkError, InvalidArgumentError, ShapeMismatchError, UnsupportedError, HkRuntimeError, DeviceError):
    _cls.__module__ = "hkernels"
del _cls

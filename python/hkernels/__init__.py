"""hkernels: ahead-of-time compiled Halide image filters and CNN layers, from Python.

    import numpy as np, hkernels as hk
    img = np.random.rand(480, 640, 3).astype(np.float32)        # HWC (HW and NHWC work too)
    g = hk.gabor(img, ksize=21, sigma=4, theta=0.5, lambd=10, gamma=0.5, psi=0)
    b = hk.box_filter(img, ksize=15, border="replicate")

Inputs are float32 or uint8 arrays of rank 2 (HW = 1xHxWx1), 3 (HWC = 1xHxWxC) or 4 (NHWC), from
numpy or any DLPack / buffer-protocol producer (PyTorch, JAX, TensorFlow CPU tensors), read without
a copy; outputs are float32 numpy arrays of the input's rank, or `out=`. Parameters are keyword
arguments named as the C++ structs' fields (runtime/include/hk/*.h); enums are the classes below
or their names as strings. Errors: ValueError subclasses for bad arguments, RuntimeError subclasses
(DeviceError, HkRuntimeError) for device / runtime failures, TypeError for wrong array types.
The GIL is released while a kernel runs. Halide is needed only to build the package.

Submodules: hkernels.keras (Keras 3 layers), hkernels.dask (dask.array filtering);
`python -m hkernels demo [IMAGE]` is the demo.
"""

from ._errors import (  # noqa: F401  (before _hkernels: the extension looks these classes up)
    DeviceError,
    HkError,
    HkRuntimeError,
    InvalidArgumentError,
    ShapeMismatchError,
    UnsupportedError,
)
from ._hkernels import (  # noqa: F401
    LOW_RANK_MAX_SIDE,
    LOW_RANK_TOLERANCE,
    MAX_FUSED_CONV_EXTENT,
    MAX_KERNEL_SIZE,
    Activation,
    ActivationParams,
    Border,
    BoxFilterParams,
    BoxPoolModel,
    ChannelMode,
    Conv2DLayer,
    DerivativeActivationModel,
    DerivativeParams,
    Device,
    DeviceInfo,
    Filter2DParams,
    FilterPath,
    Fusion,
    GaborBankParams,
    GaborConvModel,
    GaborParams,
    GaborResponse,
    LowRank,
    PackedConv2DWeights,
    Padding,
    Pool2DParams,
    PoolKind,
    SeparableParams,
    Sequential,
    Stencil,
    activation,
    available_devices,
    box_filter,
    check_device,
    conv2d,
    cpu_variant,
    derivative_kernel,
    directional_derivative,
    filter2d,
    gabor,
    gabor_bank,
    gabor_bank_size,
    gabor_kernel,
    is_available,
    kernel_rank,
    num_threads,
    output_shape,
    pool2d,
    resolve,
    run_model,
    sep_filter2d,
    set_num_threads,
)

__version__ = "0.1.0"

"""Bad inputs raise clear exceptions (never crash); arrays from other producers; the GIL."""
import array
import os
import threading
import time

import numpy as np
import pytest

import hkernels as hk

IMG = np.random.default_rng(3).random((20, 24, 3), dtype=np.float32)
GABOR = dict(ksize=5, sigma=2.0, lambd=4.0)


@pytest.mark.parametrize(
    "bad, exc, match",
    [
        (None, TypeError, "incompatible function arguments"),
        ([[1.0, 2.0]], TypeError, "incompatible function arguments"),
        (IMG.astype(np.float64), TypeError, "dtype float64 is not supported; give float32 or uint8"),
        (IMG.astype(np.int32), TypeError, "dtype int32"),
        (IMG[0, 0], hk.InvalidArgumentError, "1 dimensions; give 2 \\(HW\\)"),
        (IMG[None, None], hk.InvalidArgumentError, "5 dimensions"),
        (IMG[:, :, ::2], hk.UnsupportedError, "channels must be contiguous"),
        (IMG[::-1], hk.InvalidArgumentError, "stride_h = -72 must be positive"),
        (np.broadcast_to(IMG[:1], (20, 24, 3)), hk.InvalidArgumentError, "stride_h = 0 must be positive"),
        (np.zeros((0, 5), np.float32), hk.InvalidArgumentError, "has h = 0"),
    ],
)
def test_bad_inputs(bad, exc, match):
    with pytest.raises(exc, match=match):
        hk.gabor(bad, **GABOR)


def test_bad_parameters_are_value_errors_with_the_status_message():
    with pytest.raises(ValueError, match="sigma = -1 must be > 0") as e:
        hk.gabor(IMG, ksize=5, sigma=-1.0, lambd=4.0)
    assert isinstance(e.value, hk.InvalidArgumentError) and e.value.code == "invalid_argument"
    with pytest.raises(hk.InvalidArgumentError, match="border = 'mirror' is not a Border: use one of 'zero'"):
        hk.gabor(IMG, border="mirror", **GABOR)
    with pytest.raises(hk.InvalidArgumentError, match="give ksize"):
        hk.box_filter(IMG)
    with pytest.raises(ValueError, match="ksize"):
        hk.box_filter(IMG, ksize=2000)  # kMaxKernelSize
    with pytest.raises(TypeError):
        hk.gabor(IMG, ksize=5, sigma=2.0)  # lambd missing
    with pytest.raises(hk.ShapeMismatchError, match="bias has 3 values for 4"):
        hk.conv2d(IMG[None], np.zeros((3, 3, 3, 4), np.float32), np.zeros(3, np.float32))


def test_kernels_weights_and_biases_take_array_likes():
    x = IMG[..., :1]
    np.testing.assert_array_equal(hk.filter2d(x, kernel=[[0, 1, 0]]), hk.filter2d(x, kernel=np.array([[0, 1, 0]], np.float32)))
    np.testing.assert_array_equal(hk.filter2d(x, kernel=[[0, 1, 0]], border="zero"), x)  # identity kernel
    w = np.ones((1, 1, 3, 2))  # float64: converted
    np.testing.assert_allclose(hk.conv2d(IMG[None], w, bias=[0.5, -1.0])[0],
                               IMG.sum(axis=2, keepdims=True) + np.array([0.5, -1.0], np.float32), atol=2e-6)
    assert hk.kernel_rank([[1, 2], [2, 4]]) == 1
    with pytest.raises(hk.InvalidArgumentError, match=r"kernel must have 2 dimensions \(kh, kw\); got shape \(3,\)"):
        hk.filter2d(x, kernel=[1, 2, 3])
    with pytest.raises(TypeError, match="kernel must be an array of numbers"):
        hk.filter2d(x, kernel="abc")
    with pytest.raises(hk.InvalidArgumentError, match="weights must have 4 dimensions"):
        hk.conv2d(IMG[None], np.ones((3, 3, 3)))


def test_bad_out():
    with pytest.raises(hk.ShapeMismatchError, match=r"out has NHWC shape \(1, 20, 24, 1\), the op's output is \(1, 20, 24, 3\)"):
        hk.box_filter(IMG, ksize=3, out=np.empty((20, 24), np.float32))
    with pytest.raises(TypeError, match="out has dtype float64"):
        hk.box_filter(IMG, ksize=3, out=np.empty((20, 24, 3)))
    with pytest.raises(TypeError, match="out must be a writable array"):
        hk.box_filter(IMG, ksize=3, out="no")
    ro = np.empty((20, 24, 3), np.float32)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="writable"):
        hk.box_filter(IMG, ksize=3, out=ro)
    with pytest.raises(ValueError, match="overlaps the input"):
        x = IMG.copy()
        hk.box_filter(x, ksize=3, out=x)


def test_layers_take_float32_only():
    with pytest.raises(TypeError, match="give float32"):
        hk.activation(IMG.astype(np.uint8), "relu")


def test_device_errors_are_runtime_errors():
    if hk.is_available("cuda"):
        pytest.skip("a CUDA device is present")
    with pytest.raises(RuntimeError, match="cuda") as e:
        hk.check_device("cuda")
    assert isinstance(e.value, hk.DeviceError) and isinstance(e.value, hk.HkRuntimeError)
    assert e.value.code == "device_unavailable"
    with pytest.raises(hk.DeviceError):
        hk.gabor(IMG, device="cuda", **GABOR)


def test_opencl_matches_cpu():
    if not hk.is_available("opencl"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI: no OpenCL device (PoCL is part of the set-up)")
        pytest.skip("no OpenCL device here")
    cpu = hk.gabor(IMG, device="cpu", **GABOR)
    ocl = hk.gabor(IMG, device=hk.Device.opencl, **GABOR)
    assert np.abs(cpu - ocl).max() <= 1e-5 * max(1, np.abs(cpu).max())
    # A Sequential keeps its intermediates on the device: the same result.
    models = {d: hk.Sequential(IMG.shape, device=d).add(hk.GaborParams(**GABOR)).add(hk.Pool2DParams())
              for d in ("cpu", "opencl")}
    np.testing.assert_allclose(models["opencl"](IMG), models["cpu"](IMG), atol=1e-5 * max(1, np.abs(cpu).max()))


def test_cuda_matches_cpu():
    try:
        hk.check_device("cuda")
    except hk.DeviceError as e:
        pytest.skip(f"no CUDA device: {e}")
    cpu = hk.gabor(IMG, device="cpu", **GABOR)
    gpu = hk.gabor(IMG, device="cuda", **GABOR)
    assert np.abs(cpu - gpu).max() <= 1e-5 * max(1, np.abs(cpu).max())


def test_buffer_protocol_without_numpy_arrays():
    # A memoryview of plain Python memory: uint8 through the buffer protocol.
    raw = bytearray(range(256)) * 2
    view = memoryview(raw).cast("B", (16, 32))
    np.testing.assert_array_equal(hk.box_filter(view, ksize=1), np.frombuffer(raw, np.uint8).reshape(16, 32))
    floats = array.array("f", range(12))
    out = hk.activation(memoryview(floats).cast("B").cast("f", (3, 4)), "relu")
    np.testing.assert_array_equal(out, np.arange(12, dtype=np.float32).reshape(3, 4))


@pytest.mark.late
def test_tensorflow_tensor_input():
    tf = pytest.importorskip("tensorflow")
    t = tf.constant(IMG)
    np.testing.assert_array_equal(hk.gabor(t, **GABOR), hk.gabor(IMG, **GABOR))


@pytest.mark.late
@pytest.mark.parametrize("module", ["torch", "jax"])
def test_other_frameworks(module):
    # Both are pinned in .venv-python (tools/setup.sh --python); PyPI's torch brings the CUDA
    # libraries too (~4 GB installed), the price of testing PyTorch's DLPack path for real.
    mod = pytest.importorskip(module, reason=f"{module} is not installed here")
    t = mod.from_numpy(IMG) if module == "torch" else mod.numpy.asarray(IMG)
    np.testing.assert_array_equal(hk.gabor(t, **GABOR), hk.gabor(IMG, **GABOR))
    if module == "torch":  # a torch output is written in place: its memory, no copy back
        out = mod.zeros(IMG.shape)
        assert hk.gabor(t, **GABOR, out=out) is out
        np.testing.assert_array_equal(out.numpy(), hk.gabor(IMG, **GABOR))
        crop = t[3:-2, 1:-4, :]  # a strided view
        np.testing.assert_array_equal(hk.gabor(crop, **GABOR), hk.gabor(np.ascontiguousarray(IMG[3:-2, 1:-4, :]), **GABOR))


def test_gil_is_released_while_a_kernel_runs():
    img = np.random.default_rng(0).random((1500, 1500), dtype=np.float32)
    kw = dict(ksize=63, sigma=12.0, lambd=20.0, gamma=0.5, theta=0.3, low_rank="off")
    t0 = time.perf_counter()
    hk.gabor(img, **kw)
    duration = time.perf_counter() - t0
    assert duration > 0.05, "the call is too short to tell"
    done = threading.Event()
    ticks = []

    def work():
        hk.gabor(img, **kw)
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    while not done.is_set():  # pure Python: runs only while the kernel does not hold the GIL
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    thread.join()
    gaps = np.diff(ticks)
    assert len(ticks) > 5 and gaps.max() < 0.5 * duration, (len(ticks), gaps.max(), duration)


def test_concurrent_calls_from_threads_agree():
    from concurrent.futures import ThreadPoolExecutor
    imgs = [np.random.default_rng(i).random((300, 200, 3), dtype=np.float32) for i in range(6)]
    expected = [hk.gabor(x, **GABOR) for x in imgs]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda x: hk.gabor(x, **GABOR), imgs * 3))
    for i, r in enumerate(results):
        np.testing.assert_array_equal(r, expected[i % 6])

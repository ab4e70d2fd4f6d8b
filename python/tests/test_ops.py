"""Every op against the numpy references (tests/reference.py), on numpy inputs of each rank."""
import math

import numpy as np
import pytest

import hkernels as hk
import reference as ref

rng = np.random.default_rng(12)
BORDERS = ["zero", "replicate", "reflect101"]


def close(actual, expected, rel=2e-5):
    """float32 kernels vs float64 references: within rel * max|expected| (sums of <= ~1000
    float32 products)."""
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    scale = max(1.0, float(np.abs(expected).max()))
    err = float(np.abs(actual - expected).max())
    assert err <= rel * scale, f"max |diff| {err} > {rel} * {scale}"


@pytest.mark.parametrize("border", BORDERS)
def test_gabor_matches_opencv_formula(border):
    img = rng.random((37, 53, 3), dtype=np.float32)
    params = dict(ksize_w=9, ksize_h=7, sigma=2.5, theta=0.7, lambd=6.0, gamma=0.6, psi=0.3)
    k = ref.gabor_kernel(9, 7, 2.5, 0.7, 6.0, 0.6, 0.3)
    close(hk.gabor_kernel(**params), k, 1e-6)
    out = hk.gabor(img, border=border, **params)
    assert out.dtype == np.float32 and out.shape == img.shape
    close(out, ref.correlate(img, k, border))


def test_gabor_even_size_rounds_up_and_channel_sum_and_valid():
    img = rng.random((30, 40, 2), dtype=np.float32)
    k = ref.gabor_kernel(6, 6, 2.0, 0.0, 5.0, 1.0, math.pi / 2)  # 7x7, as getGaborKernel
    assert k.shape == (7, 7)
    summed = hk.gabor(img, ksize=6, sigma=2.0, lambd=5.0, channels="sum")
    assert summed.shape == (30, 40, 1)
    close(summed[:, :, 0], ref.correlate(img, k).sum(axis=2))
    valid = hk.gabor(img, ksize=6, sigma=2.0, lambd=5.0, padding="valid")
    assert valid.shape == (24, 34, 2)
    close(valid, ref.correlate(img, k, valid=True))


def test_gabor_low_rank_path_agrees_with_direct():
    img = rng.random((64, 64), dtype=np.float32)
    kw = dict(ksize=21, sigma=4.0, theta=0.5, lambd=8.0, gamma=1.0)  # rank 2 at gamma = 1
    assert hk.kernel_rank(hk.gabor_kernel(**kw)) == 2
    close(hk.gabor(img, **kw), hk.gabor(img, low_rank="off", **kw), 1e-5)
    close(hk.gabor(img, **kw), ref.correlate(img, ref.gabor_kernel(21, 21, 4.0, 0.5, 8.0, 1.0, math.pi / 2)))


def test_fft_path_agrees_with_direct_and_reference():
    img = rng.random((90, 130, 3), dtype=np.float32)
    kw = dict(ksize=31, sigma=6.7, theta=0.6, lambd=14.4, gamma=0.5, psi=0.0)  # not of low rank
    fft = hk.gabor(img, path="fft", **kw)
    close(fft, hk.gabor(img, path="direct", **kw), 1e-4)
    close(fft, ref.correlate(img, ref.gabor_kernel(31, 31, 6.7, 0.6, 14.4, 0.5, 0.0)), 1e-4)
    k = rng.standard_normal((25, 25)).astype(np.float32)
    close(hk.filter2d(img, kernel=k, path="fft"), ref.correlate(img, k), 1e-4)
    with pytest.raises(ValueError, match="path fft takes kernels up to 33"):
        hk.gabor(img, path="fft", **{**kw, "ksize": 35})


@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
@pytest.mark.parametrize("border", BORDERS)
def test_box_filter(dtype, border):
    img = (rng.random((41, 29, 3)) * 255).astype(dtype)
    out = hk.box_filter(img, ksize_w=5, ksize_h=3, border=border)
    close(out, ref.correlate(img, np.full((3, 5), 1 / 15), border))
    raw = hk.box_filter(img, ksize=4, normalize=False, border=border)  # even: anchor k/2
    close(raw, ref.correlate(img, np.ones((4, 4)), border))


def test_box_filter_channel_sum():
    img = rng.random((20, 24, 4), dtype=np.float32)
    out = hk.box_filter(img, ksize=5, channels="sum")
    close(out[:, :, 0], ref.correlate(img, np.full((5, 5), 1 / 25)).sum(axis=2))


@pytest.mark.parametrize("border", BORDERS)
def test_filter2d_anchor_activation(border):
    img = rng.standard_normal((33, 31, 2)).astype(np.float32)
    k = rng.standard_normal((4, 5)).astype(np.float32)
    close(hk.filter2d(img, kernel=k, border=border), ref.correlate(img, k, border))
    close(hk.filter2d(img, kernel=k, anchor_x=1, anchor_y=3, border=border),
          ref.correlate(img, k, border, anchor=(1, 3)))
    close(hk.filter2d(img, kernel=k.astype(np.float64), border=border, activation="relu"),
          ref.relu(ref.correlate(img, k, border)))
    close(hk.filter2d(img, kernel=k, border=border, activation=hk.Activation.leaky_relu, alpha=0.1),
          np.where(ref.correlate(img, k, border) >= 0, 1, 0.1) * ref.correlate(img, k, border))


def test_sep_filter2d_is_outer_product():
    img = (rng.random((25, 38)) * 255).astype(np.uint8)
    kx = np.array([1, 2, 3, 2, 1], np.float32)
    ky = np.array([-1, 0, 1], np.float32)
    out = hk.sep_filter2d(img, kernel_x=kx, kernel_y=ky, border="replicate")
    close(out, ref.correlate(img, np.outer(ky, kx), "replicate"))


@pytest.mark.parametrize("theta", [0.0, 0.4, math.pi / 2])
def test_directional_derivative_sobel(theta):
    img = rng.random((30, 30), dtype=np.float32)
    k = math.cos(theta) * ref.SOBEL_X + math.sin(theta) * ref.SOBEL_X.T
    close(hk.derivative_kernel(theta=theta), k, 1e-6)
    close(hk.directional_derivative(img, theta=theta), ref.correlate(img, k))
    assert abs(hk.derivative_kernel(theta=theta, stencil="central").sum()) < 1e-6  # a derivative sums to 0


def test_gabor_bank_channel_order():
    img = rng.random((24, 28, 2), dtype=np.float32)
    thetas, lambdas, psis = [0.0, 1.0], [4.0, 7.0], [0.0, 0.5]
    out = hk.gabor_bank(img, ksize=9, thetas=thetas, lambdas=lambdas, psis=psis, gamma=0.5)
    F = hk.gabor_bank_size(thetas=thetas, lambdas=lambdas, psis=psis)
    assert F == 8 and out.shape == (24, 28, 2 * F)
    for c in range(2):
        for s, lam in enumerate(lambdas):
            for o, th in enumerate(thetas):
                for p, psi in enumerate(psis):
                    f = (s * len(thetas) + o) * len(psis) + p
                    k = ref.gabor_kernel(9, 9, 0.56 * lam, th, lam, 0.5, psi)
                    close(out[:, :, c * F + f], ref.correlate(img[:, :, c], k))


def test_gabor_bank_hw_input_gives_hwc():
    out = hk.gabor_bank(rng.random((16, 16), dtype=np.float32), ksize=5, thetas=[0, 1, 2], lambdas=[4])
    assert out.shape == (16, 16, 3)


def test_ranks_and_batches_map_to_nhwc():
    img = rng.random((2, 20, 22, 3), dtype=np.float32)
    kw = dict(ksize=5, border="replicate")
    out4 = hk.box_filter(img, **kw)
    assert out4.shape == img.shape
    for n in range(2):
        close(out4[n], hk.box_filter(img[n], **kw), 0)
        close(out4[n, :, :, 1], hk.box_filter(img[n, :, :, 1], **kw), 0)


def test_strided_views_are_read_in_place():
    big = rng.random((3, 60, 70, 5), dtype=np.float32)
    view = big[1, 5:45:2, 7:60:3, 1:4]  # strides in elements, channels contiguous
    assert not view.flags.c_contiguous
    close(hk.box_filter(view, ksize=3), hk.box_filter(np.ascontiguousarray(view), ksize=3), 0)
    close(hk.box_filter(view, ksize=3), ref.correlate(view, np.full((3, 3), 1 / 9)))


def test_out_is_filled_in_place():
    img = rng.random((20, 30, 2), dtype=np.float32)
    out = np.full((20, 30, 2), np.nan, np.float32)
    result = hk.box_filter(img, ksize=3, out=out)
    assert result is out
    close(out, ref.correlate(img, np.full((3, 3), 1 / 9)))
    # A strided out: every other column of a larger array, NHWC shape the op's.
    big = np.zeros((1, 20, 60, 2), np.float32)
    hk.box_filter(img, ksize=3, out=big[:, :, ::2])
    close(big[0, :, ::2], out, 0)
    assert not big[:, :, 1::2].any()


def test_no_copy_of_the_input():
    import tracemalloc
    img = rng.random((1000, 1000), dtype=np.float32)  # 4 MB
    hk.box_filter(img, ksize=3)
    tracemalloc.start()
    out = hk.box_filter(img, ksize=3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert out.nbytes <= peak < out.nbytes + img.nbytes // 2, peak  # the output only


def test_activation_and_in_place():
    x = rng.standard_normal((10, 12, 3)).astype(np.float32) * 4
    close(hk.activation(x, "relu6"), np.clip(x, 0, 6))
    close(hk.activation(x, "sigmoid"), 1 / (1 + np.exp(-x.astype(np.float64))), 1e-6)
    close(hk.activation(x, "tanh"), np.tanh(x.astype(np.float64)), 1e-6)
    y = x.copy()
    assert hk.activation(y, hk.Activation.relu, out=y) is y
    close(y, ref.relu(x), 0)


def test_pool2d():
    x = rng.standard_normal((2, 9, 11, 3)).astype(np.float32)
    close(hk.pool2d(x), ref.max_pool(x), 0)
    close(hk.pool2d(x, window=3, strides=2), ref.max_pool(x, 3, 2), 0)
    avg = hk.pool2d(x, kind="average", window=(2, 3), strides=(2, 3))
    win = np.lib.stride_tricks.sliding_window_view(x, (2, 3), axis=(1, 2))[:, ::2, ::3][:, :4, :3]
    close(avg, win.mean(axis=(-1, -2)))
    assert hk.pool2d(x, padding="same").shape == (2, 5, 6, 3)  # ceil(in / stride)


def test_conv2d_valid_and_same_and_depthwise():
    x = rng.standard_normal((2, 12, 14, 3)).astype(np.float32)
    w = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    close(hk.conv2d(x, w, b), ref.conv2d_valid(x, w, b))
    close(hk.conv2d(x, w, b, activation="relu", strides=2), ref.relu(ref.conv2d_valid(x, w, b, stride=2)))
    same = hk.conv2d(x, w, padding="same")
    close(same, ref.conv2d_valid(np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0))), w))
    explicit = hk.conv2d(x, w, padding="explicit_pads", pads=(2, 0, 1, 3))
    close(explicit, ref.conv2d_valid(np.pad(x, ((0, 0), (2, 0), (1, 3), (0, 0))), w))
    dw = rng.standard_normal((3, 3, 1, 6)).astype(np.float32)  # depthwise, multiplier 2
    out = hk.conv2d(x, dw, groups=3)
    for c in range(3):
        for q in range(2):
            close(out[..., c * 2 + q], ref.conv2d_valid(x[..., c:c + 1], dw[:, :, :, c * 2 + q:c * 2 + q + 1])[..., 0])


def test_conv2d_on_packed_weights_equals_hwio():
    x = rng.standard_normal((2, 12, 14, 3)).astype(np.float32)
    w = rng.standard_normal((3, 3, 3, 5)).astype(np.float32)  # 5 outputs: rows padded to 16 when packed
    b = rng.standard_normal(5).astype(np.float32)
    packed = hk.PackedConv2DWeights(w, b)
    assert packed.shape == (3, 3, 3, 5)
    got = hk.conv2d(x, packed, activation="relu", padding="same")
    assert np.array_equal(got, hk.conv2d(x, w, b, activation="relu", padding="same"))
    close(got, ref.relu(ref.conv2d_valid(np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0))), w, b)))
    w[:] = np.nan  # pack() copied them: the packed weights do not change
    b[:] = np.nan
    assert np.array_equal(hk.conv2d(x, packed, activation="relu", padding="same"), got)
    with pytest.raises(hk.InvalidArgumentError, match="packed weights carry their bias"):
        hk.conv2d(x, packed, b)
    with pytest.raises(hk.ShapeMismatchError, match="input has 4 channels but weights"):
        hk.conv2d(np.zeros((1, 8, 8, 4), np.float32), packed)


def test_run_model_fused_equals_unfused_and_reference():
    x = rng.random((1, 24, 24, 3), dtype=np.float32)
    g = hk.GaborParams(ksize=7, sigma=2.0, theta=0.5, lambd=5.0, psi=0.0, border="zero")
    w = rng.standard_normal((3, 3, 3, 8)).astype(np.float32) * 0.3
    b = rng.standard_normal(8).astype(np.float32) * 0.1
    model = hk.GaborConvModel(g, hk.Conv2DLayer(w, b, activation="relu"))
    fused = hk.run_model(x, model)
    unfused = hk.run_model(x, model, fusion="unfused")
    k = ref.gabor_kernel(7, 7, 2.0, 0.5, 5.0, 1.0, 0.0)
    expected = ref.relu(ref.conv2d_valid(ref.correlate(x[0], k, "zero")[None], w, b))
    close(fused, expected, 5e-5)
    close(unfused, expected, 5e-5)

    box_pool = hk.BoxPoolModel(hk.BoxFilterParams(ksize=5), hk.Pool2DParams())
    x1 = rng.random((1, 16, 16, 1), dtype=np.float32)
    close(hk.run_model(x1, box_pool), ref.max_pool(ref.correlate(x1[0], np.full((5, 5), 1 / 25))[None]))

    deriv = hk.DerivativeActivationModel(hk.DerivativeParams(theta=0.3), hk.ActivationParams("relu"))
    k3 = math.cos(0.3) * ref.SOBEL_X + math.sin(0.3) * ref.SOBEL_X.T
    close(hk.run_model(x1, deriv), ref.relu(ref.correlate(x1[0], k3))[None])


def test_sequential_matches_the_ops():
    x = rng.random((32, 32, 3), dtype=np.float32)
    w = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)
    seq = hk.Sequential((32, 32, 3), device="cpu")
    assert seq.add(hk.GaborParams(ksize=5, sigma=1.5, lambd=4.0)) is seq
    seq.add(hk.Conv2DLayer(w, activation="relu")).add(hk.Pool2DParams()).add(hk.ActivationParams("tanh"))
    seq.build()
    assert len(seq) == 4 and seq.output_shape == (15, 15, 4)
    expected = hk.activation(hk.pool2d(hk.conv2d(hk.gabor(x, ksize=5, sigma=1.5, lambd=4.0)[None], w,
                                                 activation="relu")), "tanh")[0]
    close(seq(x), expected, 1e-6)
    out = np.empty((15, 15, 4), np.float32)
    assert seq(x, out=out) is out


def test_sequential_names_the_layer_that_does_not_fit():
    seq = hk.Sequential((1, 16, 16, 3))
    seq.add(hk.BoxFilterParams(ksize=3, channels="sum"))
    seq.add(hk.Conv2DLayer(np.zeros((3, 3, 3, 2), np.float32)))  # expects 3 channels, gets 1
    with pytest.raises(ValueError, match="conv2d"):
        seq.build()


def test_devices_and_threads():
    devs = hk.available_devices()
    assert devs[0].device == hk.Device.cpu and not devs[0].is_gpu
    assert hk.is_available("cpu") and hk.check_device(hk.Device.cpu) is None
    assert hk.resolve("cpu") == hk.Device.cpu
    assert hk.cpu_variant() in ("avx512_skylake", "avx2", "sse41")
    n = hk.num_threads()
    hk.set_num_threads(1)
    assert hk.num_threads() == 1
    hk.set_num_threads(n)
    with pytest.raises(ValueError):
        hk.set_num_threads(0)


def test_output_shape_for_every_params_class():
    w = np.zeros((3, 3, 3, 8), np.float32)
    cases = [
        ((480, 640), hk.GaborBankParams(ksize=5, thetas=[0, 1], lambdas=[4]), (480, 640, 2)),
        ((32, 32, 3), hk.GaborParams(ksize=6, sigma=1, lambd=2, padding="valid"), (26, 26, 3)),
        ((32, 32, 3), hk.BoxFilterParams(ksize=4, channels="sum"), (32, 32, 1)),
        ((1, 9, 9, 2), hk.Filter2DParams(kernel=np.ones((2, 3)), padding="valid"), (1, 8, 7, 2)),
        ((9, 9), hk.SeparableParams(kernel_x=[1, 2, 1], kernel_y=[1, 1]), (9, 9)),
        ((9, 9, 3), hk.DerivativeParams(padding="valid"), (7, 7, 3)),
        ((2, 32, 32, 3), hk.Conv2DLayer(w, strides=2, padding="same"), (2, 16, 16, 8)),
        ((2, 7, 7, 3), hk.Pool2DParams(window=3, strides=2, padding="same"), (2, 4, 4, 3)),
        ((24, 24, 3), hk.GaborConvModel(hk.GaborParams(ksize=5, sigma=1, lambd=3), hk.Conv2DLayer(w)), (22, 22, 8)),
    ]
    for shape, params, expected in cases:
        assert hk.output_shape(shape, params) == expected
    with pytest.raises(ValueError, match="expect 2"):
        hk.output_shape((32, 32, 3), hk.Conv2DLayer(np.zeros((3, 3, 2, 8), np.float32)))

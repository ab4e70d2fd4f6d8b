"""hkernels.keras: the seed's models (python/examples/keras_seed_models.py) against the same
models written with tf.nn.conv2d on independently computed kernels; config, save / load, fit,
and the error where a gradient through a layer would be needed."""
import math
import os
import sys

import numpy as np
import pytest

import reference as ref

# TensorFlow is imported by the fixture below, not at collection: conftest.py runs these tests
# last, after the OpenCL ones (PoCL cannot build kernels once TensorFlow is loaded).
pytestmark = pytest.mark.late
tf = keras = hkk = seed = None


@pytest.fixture(scope="module", autouse=True)
def _tensorflow():
    global tf, keras, hkk, seed
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    hkk = pytest.importorskip("hkernels.keras")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
    import keras_seed_models

    seed = keras_seed_models

rng = np.random.default_rng(5)


def reflect101_conv(x, kernel_hwc1, depthwise):
    """tf.nn.conv2d / depthwise_conv2d on the input padded by tf.pad's REFLECT mode, which mirrors
    without repeating the edge: OpenCV's reflect101."""
    kh, kw = kernel_hwc1.shape[:2]
    x = tf.pad(x, [[0, 0], [kh // 2, kh // 2], [kw // 2, kw // 2], [0, 0]], mode="REFLECT")
    k = tf.constant(kernel_hwc1, tf.float32)
    if depthwise:
        return tf.nn.depthwise_conv2d(x, k, [1, 1, 1, 1], "VALID")
    return tf.nn.conv2d(x, k, 1, "VALID")


def tf_model(input_shape, fn, tail):
    return keras.Sequential([keras.Input(input_shape), keras.layers.Lambda(fn)] + tail)


def assert_close(a, b, rel=1e-5):
    scale = max(1.0, float(np.abs(b).max()))
    assert a.shape == b.shape
    assert float(np.abs(a - b).max()) <= rel * scale, float(np.abs(a - b).max())


def test_gabor_conv_model_matches_tf():
    shape = (48, 40, 3)
    model = seed.gabor_conv_model(shape)
    k = ref.gabor_kernel(25, 25, 4.0, 0.5, 10.0, 0.5, 0.0)
    kernel = np.repeat(k[:, :, None, None], 3, axis=2)  # [k, k, C, 1]: each channel alone
    conv = keras.layers.Conv2D(32, (3, 3), activation="relu")
    reference = tf_model(shape, lambda x: reflect101_conv(x, kernel, depthwise=True), [conv])
    conv.set_weights(model.get_layer("conv").get_weights())
    x = rng.random((2,) + shape, dtype=np.float32)
    assert_close(model.predict(x, verbose=0), reference.predict(x, verbose=0))
    # The seed's own padding (zeros, tf SAME) with border="zero":
    zero = seed.gabor_conv_model(shape, border="zero")
    zero.get_layer("conv").set_weights(model.get_layer("conv").get_weights())
    same = tf_model(shape, lambda x: tf.nn.depthwise_conv2d(x, tf.constant(kernel, tf.float32), [1] * 4, "SAME"),
                    [conv])
    assert_close(zero.predict(x, verbose=0), same.predict(x, verbose=0))


def test_average_pool_model_matches_tf():
    shape = (33, 30, 2)
    model = seed.average_pool_model(shape)
    kernel = np.ones((5, 5, 2, 1)) / 25  # the seed's averaging kernel: sums the channels' averages
    reference = tf_model(shape, lambda x: reflect101_conv(x, kernel, depthwise=False), [keras.layers.MaxPooling2D()])
    x = rng.random((3,) + shape, dtype=np.float32)
    assert_close(model.predict(x, verbose=0), reference.predict(x, verbose=0))


@pytest.mark.parametrize("theta", [0.0, 0.6])
def test_derivative_relu_model_matches_tf(theta):
    shape = (40, 36, 1)
    model = seed.derivative_relu_model(shape, theta=theta)
    k = math.cos(theta) * ref.SOBEL_X + math.sin(theta) * ref.SOBEL_X.T
    reference = tf_model(shape, lambda x: reflect101_conv(x, k[:, :, None, None], depthwise=False),
                         [keras.layers.Activation("relu")])
    x = rng.random((2,) + shape, dtype=np.float32)
    assert_close(model.predict(x, verbose=0), reference.predict(x, verbose=0))


def test_every_layer_config_and_save_load(tmp_path):
    shape = (24, 20, 2)
    layers = [
        hkk.Gabor(ksize_w=7, ksize_h=5, sigma=2.0, lambd=5.0, padding="valid"),
        hkk.GaborBank(ksize=5, thetas=[0.0, 1.0], lambdas=[4.0], response="magnitude"),
        hkk.BoxFilter(ksize=3, normalize=False, border="replicate"),
        hkk.Filter2D(kernel=rng.standard_normal((3, 4)), anchor_x=1, activation="relu"),
        hkk.DirectionalDerivative(theta=0.3, order=2, stencil="central", channels="sum"),
    ]
    x = rng.random((2,) + shape, dtype=np.float32)
    for layer in layers:
        model = keras.Sequential([keras.Input(shape), layer])
        y = model.predict(x, verbose=0)
        assert y.shape[1:] == model.output_shape[1:]  # the static shape is the real one
        clone = type(layer).from_config(layer.get_config())
        np.testing.assert_array_equal(keras.Sequential([keras.Input(shape), clone]).predict(x, verbose=0), y)
        path = str(tmp_path / f"{layer.name}.keras")
        model.save(path)
        np.testing.assert_array_equal(keras.models.load_model(path).predict(x, verbose=0), y)
    assert not layers[0].trainable and not layers[0].weights


def test_fit_with_filters_before_trainable_layers():
    shape = (24, 24, 3)
    model = seed.gabor_conv_model(shape)
    model.add(keras.layers.GlobalAveragePooling2D())
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    x = rng.random((8,) + shape, dtype=np.float32)
    y = rng.random((8, 1), dtype=np.float32)
    before = model.get_layer("conv").get_weights()[0].copy()
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert not np.array_equal(before, model.get_layer("conv").get_weights()[0])  # trained


def test_a_trainable_layer_before_a_filter_is_a_clear_error():
    model = keras.Sequential([
        keras.Input((16, 16, 1)),
        keras.layers.Conv2D(2, 3, padding="same"),
        hkk.BoxFilter(ksize=3, name="box_after_conv"),
        keras.layers.Flatten(),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(hkk.HkGradientError, match="box_after_conv"):
        model.fit(np.zeros((4, 16, 16, 1), np.float32), np.zeros((4, 1), np.float32), verbose=0)
    # predict is fine
    assert model.predict(np.zeros((1, 16, 16, 1), np.float32), verbose=0).shape == (1, 1)


def test_uint8_and_float64_inputs():
    layer = hkk.BoxFilter(ksize=3)
    x8 = (rng.random((1, 10, 10, 1)) * 255).astype(np.uint8)
    expected = ref.correlate(x8[0], np.full((3, 3), 1 / 9))[None]
    assert_close(layer(tf.constant(x8)).numpy(), expected)
    assert_close(layer(tf.constant(x8.astype(np.float64))).numpy(), expected)


def test_bad_parameters_fail_when_the_model_is_built():
    import hkernels as hk
    with pytest.raises(hk.InvalidArgumentError, match="sigma = -1 must be > 0"):
        keras.Sequential([keras.Input((16, 16, 1)), hkk.Gabor(ksize=5, sigma=-1.0, lambd=4.0)])
    with pytest.raises(hk.InvalidArgumentError, match="ksize"):
        keras.Sequential([keras.Input((16, 16, 1)), hkk.BoxFilter(ksize=2000)])

"""The seed's three Keras models (shared/seed-keras-custom-filters.md), corrected, written with
hkernels' Keras layers instead of Lambda(tf.nn.conv2d(...)).

What the seed got wrong, and what these do instead:
  1. Gabor -> Conv2D(32, 3, relu): its kernel was as large as the image (x0 = H // 2: a 257 x 257
     kernel on 256 x 256), with sigma = 1 and a wavelength of 1 pixel (pure aliasing), and a
     [k, k, 1, 1] kernel on a 3-channel input, which tf.nn.conv2d rejects. Here: a 25 x 25 kernel
     (about 6 sigma) with a 10-pixel wavelength, applied to each channel.
  2. Averaging filter -> MaxPooling2D: the seed's was right in itself ([k, k, C, 1] / k^2 sums the
     channels' averages); here hkernels' box filter, channels='sum' for the same meaning at any C.
  3. Directional derivative -> ReLU: the seed's kernel [1, 1] sums two neighbours (it responds to
     brightness, not to change). Here a Sobel derivative along theta, whose kernel sums to zero.
Borders are OpenCV's reflect101 (the seed's SAME padding was zeros, which makes false edges at the
image border; pass border="zero" for exactly that).

    python python/examples/keras_seed_models.py     # builds the three, predicts, saves and reloads
"""
import os
import sys
import tempfile

import keras
import numpy as np

import hkernels.keras as hkk


def gabor_conv_model(input_shape=(256, 256, 3), border="reflect101"):
    return keras.Sequential([
        keras.Input(input_shape),
        hkk.Gabor(ksize=25, sigma=4.0, theta=0.5, lambd=10.0, gamma=0.5, psi=0.0, border=border, name="gabor"),
        keras.layers.Conv2D(32, (3, 3), activation="relu", name="conv"),
    ], name="gabor_conv")


def average_pool_model(input_shape=(64, 64, 1), border="reflect101"):
    return keras.Sequential([
        keras.Input(input_shape),
        hkk.BoxFilter(ksize=5, channels="sum", border=border, name="average"),
        keras.layers.MaxPooling2D((2, 2), name="pool"),
    ], name="average_pool")


def derivative_relu_model(input_shape=(128, 128, 1), theta=0.0, border="reflect101"):
    return keras.Sequential([
        keras.Input(input_shape),
        hkk.DirectionalDerivative(theta=theta, stencil="sobel", border=border, name="derivative"),
        keras.layers.Activation("relu", name="relu"),
    ], name="derivative_relu")


def main():
    rng = np.random.default_rng(0)
    for build in (gabor_conv_model, average_pool_model, derivative_relu_model):
        model = build()
        x = rng.random((2,) + model.input_shape[1:], dtype=np.float32)
        y = model.predict(x, verbose=0)
        path = os.path.join(tempfile.mkdtemp(), model.name + ".keras")
        model.save(path)
        again = keras.models.load_model(path)
        same = np.array_equal(again.predict(x, verbose=0), y)
        print(f"{model.name:16s} in {x.shape} -> out {y.shape}, mean {y.mean():.4f}; saved and reloaded: "
              f"{'same output' if same else 'DIFFERENT OUTPUT'}")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

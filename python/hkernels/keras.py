"""Keras 3 layers running hkernels' filters (TensorFlow backend).

    import keras, hkernels.keras as hkk
    model = keras.Sequential([
        keras.Input((256, 256, 3)),
        hkk.Gabor(ksize=31, sigma=5.0, theta=0.5, lambd=12.0, gamma=0.5, psi=0.0),
        keras.layers.Conv2D(32, 3, activation="relu"),
    ])

The layers are fixed filters: no weights, not trainable. Each runs the C++ op on the CPU copy of
its input through `tf.numpy_function` (inside `model.predict`, `model.fit` and `tf.function`s),
with the static output shape set, and takes the same keyword arguments as the hkernels function
it wraps (strings for enums). `get_config()` returns them, so models save and load
(`model.save("m.keras")`; `keras.models.load_model` after `import hkernels.keras`).

Gradients: a filter's output is differentiable in principle, but these layers do not provide a
gradient. In `model.fit` they must come before every trainable layer (as the seed's filters do:
nothing before them needs a gradient); where a gradient through one would be needed (a trainable
layer before it, or a gradient with respect to the model's input) TensorFlow calls its gradient
function, which raises `HkGradientError` naming the layer.

Device: the layers run on the CPU by default (`device="cpu"`: the data is on the host anyway);
another device can be named. OpenCL through PoCL cannot load after TensorFlow (both bring LLVM);
hkernels then reports OpenCL unavailable, with a warning, rather than crash.

Inputs: NHWC batches, float32 or uint8 (other dtypes are cast to float32); outputs are float32.
For exactly what `tf.nn.conv2d(..., padding="SAME")` computes, use `border="zero"` (TensorFlow pads
with zeros; hkernels' default border is OpenCV's reflect101).
"""
from __future__ import annotations

import math

import keras
import numpy as np

import hkernels as _hk

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        "hkernels.keras needs Keras' TensorFlow backend (KERAS_BACKEND=tensorflow); "
        f"this process uses '{keras.backend.backend()}'"
    )

import tensorflow as tf  # noqa: E402  (after the backend check)

__all__ = ["Gabor", "GaborBank", "BoxFilter", "Filter2D", "DirectionalDerivative", "HkGradientError"]


class HkGradientError(RuntimeError):
    """A gradient through an hkernels Keras layer was needed; the layers provide none."""


def _odd(k):
    return 2 * (k // 2) + 1


def _sizes(params, default_w=None, default_h=None):
    """ksize / ksize_w / ksize_h as the C++ structs resolve them."""
    k = params.get("ksize")
    w = params.get("ksize_w") or k or default_w
    h = params.get("ksize_h") or k or default_h
    return w, h


class _HkFilter(keras.layers.Layer):
    """An hkernels filter as a Keras layer: `_op` is the hkernels function, `params` its keyword
    arguments (JSON-friendly: the config)."""

    _op = None

    def __init__(self, params, **kwargs):
        if kwargs.pop("trainable", False):
            raise ValueError(f"{type(self).__name__} is a fixed filter: it has no weights to train")
        super().__init__(trainable=False, **kwargs)
        self._params = params
        self._run_params = {k: (np.asarray(v, np.float32) if k in ("kernel",) else v) for k, v in params.items()}
        self.supports_masking = False

    # -- what subclasses define --
    def _kernel_hw(self):
        raise NotImplementedError

    def _out_channels(self, c):
        return 1 if self._params.get("channels") == "sum" else c

    # -- Keras --
    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        if None not in (h, w, c):
            # hkernels' own shape rules, which also check the parameters against this input now,
            # when the model is built, rather than at the first batch.
            params = {k: v for k, v in self._run_params.items() if k != "device"}
            _, oh, ow, oc = _hk.output_shape((1, h, w, c), _PARAMS_CLASS[self._op](**params))
            return (n, oh, ow, oc)
        if self._params.get("padding", "same") == "valid":
            kh, kw = self._kernel_hw()
            h = None if h is None else h - kh + 1
            w = None if w is None else w - kw + 1
        return (n, h, w, None if c is None else self._out_channels(c))

    def _run(self, x):
        return _hk_call(self._op, x, self._run_params)

    def call(self, inputs):
        x = inputs
        if x.dtype not in (tf.float32, tf.uint8):
            x = tf.cast(x, tf.float32)
        layer_name = self.name

        @tf.custom_gradient
        def apply(x):
            y = tf.numpy_function(self._run, [x], tf.float32, stateful=False, name=f"hkernels_{self._op}")

            def grad(dy):
                raise HkGradientError(
                    f"hkernels layer '{layer_name}' ({type(self).__name__}) has no gradient: a gradient through "
                    "it was needed. Put hkernels layers before every trainable layer (and do not differentiate "
                    "with respect to the model's input), or use tf.stop_gradient in front of it deliberately.")

            return y, grad

        y = apply(x)
        y.set_shape(self.compute_output_shape(tuple(x.shape)))
        return y

    def get_config(self):
        config = super().get_config()
        config.pop("trainable", None)
        config.update(self._params)
        return config


_PARAMS_CLASS = {
    "gabor": _hk.GaborParams,
    "gabor_bank": _hk.GaborBankParams,
    "box_filter": _hk.BoxFilterParams,
    "filter2d": _hk.Filter2DParams,
    "directional_derivative": _hk.DerivativeParams,
}


def _hk_call(op, x, params):
    return getattr(_hk, op)(x, **params)


def _clean(**params):
    """Keyword arguments as the config stores them: Python scalars, lists, strings for enums."""
    out = {}
    for k, v in params.items():
        if v is None:
            continue
        if hasattr(v, "name") and not isinstance(v, str):  # an hkernels enum
            v = v.name
        elif isinstance(v, np.ndarray):
            v = v.tolist()
        elif isinstance(v, (tuple, np.floating, np.integer)):
            v = np.asarray(v).tolist()
        out[k] = v
    return out


@keras.saving.register_keras_serializable(package="hkernels")
class Gabor(_HkFilter):
    """hkernels.gabor as a layer (OpenCV getGaborKernel's parameters; `lambd` = wavelength)."""

    _op = "gabor"

    def __init__(self, sigma, lambd, ksize=None, ksize_w=None, ksize_h=None, theta=0.0, gamma=1.0,
                 psi=math.pi / 2, border="reflect101", padding="same", channels="per_channel",
                 low_rank="automatic", device="cpu", **kwargs):
        super().__init__(_clean(sigma=float(sigma), lambd=float(lambd), ksize=ksize, ksize_w=ksize_w,
                                ksize_h=ksize_h, theta=float(theta), gamma=float(gamma), psi=float(psi),
                                border=border, padding=padding, channels=channels, low_rank=low_rank,
                                device=device), **kwargs)
        w, h = _sizes(self._params)
        if w is None or h is None:
            raise ValueError("Gabor: give ksize (a square kernel) or both ksize_w and ksize_h")

    def _kernel_hw(self):
        w, h = _sizes(self._params)
        return _odd(h), _odd(w)


@keras.saving.register_keras_serializable(package="hkernels")
class GaborBank(_HkFilter):
    """hkernels.gabor_bank as a layer: C * len(thetas) * len(lambdas) * len(psis) output channels."""

    _op = "gabor_bank"

    def __init__(self, thetas, lambdas, ksize=None, ksize_w=None, ksize_h=None, sigmas=(), psis=(0.0,),
                 gamma=0.5, response="real", border="reflect101", padding="same", device="cpu", **kwargs):
        super().__init__(_clean(thetas=[float(t) for t in thetas], lambdas=[float(v) for v in lambdas],
                                ksize=ksize, ksize_w=ksize_w, ksize_h=ksize_h, sigmas=[float(s) for s in sigmas],
                                psis=[float(p) for p in psis], gamma=float(gamma), response=response,
                                border=border, padding=padding, device=device), **kwargs)

    def _kernel_hw(self):
        w, h = _sizes(self._params)
        return _odd(h), _odd(w)

    def _out_channels(self, c):
        p = self._params
        return c * len(p["thetas"]) * len(p["lambdas"]) * len(p["psis"])


@keras.saving.register_keras_serializable(package="hkernels")
class BoxFilter(_HkFilter):
    """hkernels.box_filter as a layer (averaging filter; normalize=False: window sums)."""

    _op = "box_filter"

    def __init__(self, ksize=None, ksize_w=None, ksize_h=None, normalize=True, border="reflect101",
                 padding="same", channels="per_channel", device="cpu", **kwargs):
        super().__init__(_clean(ksize=ksize, ksize_w=ksize_w, ksize_h=ksize_h, normalize=bool(normalize),
                                border=border, padding=padding, channels=channels, device=device), **kwargs)
        w, h = _sizes(self._params)
        if w is None or h is None:
            raise ValueError("BoxFilter: give ksize (a square window) or both ksize_w and ksize_h")

    def _kernel_hw(self):
        w, h = _sizes(self._params)
        return h, w


@keras.saving.register_keras_serializable(package="hkernels")
class Filter2D(_HkFilter):
    """hkernels.filter2d as a layer: any (kh, kw) kernel, cross-correlation as OpenCV's filter2D and
    tf.nn.conv2d; applied to each channel, or to their sum (channels='sum')."""

    _op = "filter2d"

    def __init__(self, kernel, anchor_x=-1, anchor_y=-1, border="reflect101", padding="same",
                 channels="per_channel", activation="none", alpha=0.2, low_rank="automatic",
                 device="cpu", **kwargs):
        k = np.asarray(kernel, np.float32)
        if k.ndim != 2:
            raise ValueError(f"Filter2D: kernel must be 2D (kh, kw), got shape {k.shape}")
        super().__init__(_clean(kernel=k, anchor_x=int(anchor_x), anchor_y=int(anchor_y), border=border,
                                padding=padding, channels=channels, activation=activation, alpha=float(alpha),
                                low_rank=low_rank, device=device), **kwargs)

    def _kernel_hw(self):
        k = self._params["kernel"]
        return len(k), len(k[0])


@keras.saving.register_keras_serializable(package="hkernels")
class DirectionalDerivative(_HkFilter):
    """hkernels.directional_derivative as a layer: cos(theta) d/dx + sin(theta) d/dy (Sobel by
    default), a kernel that sums to zero -- not the seed's [1, 1], which sums two neighbours."""

    _op = "directional_derivative"

    def __init__(self, theta=0.0, order=1, stencil="sobel", border="reflect101", padding="same",
                 channels="per_channel", activation="none", alpha=0.2, device="cpu", **kwargs):
        super().__init__(_clean(theta=float(theta), order=int(order), stencil=stencil, border=border,
                                padding=padding, channels=channels, activation=activation, alpha=float(alpha),
                                device=device), **kwargs)

    def _kernel_hw(self):
        return 3, 3

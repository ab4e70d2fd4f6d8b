"""Plain numpy references, independent of hkernels: every filter as padding + a sliding-window
sum (float64), the kernels from their textbook / OpenCV formulas."""
import math

import numpy as np

# hk's borders as numpy's pad modes. numpy's 'reflect' mirrors without repeating the edge
# (cb|abcd|cb), which is OpenCV's BORDER_REFLECT_101; 'symmetric' would repeat it.
PAD_MODE = {"zero": "constant", "replicate": "edge", "reflect101": "reflect"}


def correlate(img, kernel, border="reflect101", anchor=None, valid=False):
    """OpenCV filter2D on an HW or HWC image: out(x, y) = sum K[j, i] in(x + i - ax, y + j - ay)."""
    img = np.asarray(img, np.float64)
    k = np.asarray(kernel, np.float64)
    kh, kw = k.shape
    ax, ay = (kw // 2, kh // 2) if anchor is None else anchor
    squeeze = img.ndim == 2
    if squeeze:
        img = img[:, :, None]
    if valid:
        padded = img
    else:
        pads = ((ay, kh - 1 - ay), (ax, kw - 1 - ax), (0, 0))
        padded = np.pad(img, pads, mode=PAD_MODE[border])
    win = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(0, 1))  # H W C kh kw
    out = np.einsum("hwcij,ij->hwc", win, k)
    return out[:, :, 0] if squeeze else out


def gabor_kernel(ksize_w, ksize_h, sigma, theta, lambd, gamma, psi):
    """OpenCV's getGaborKernel, written from its formula (kernel[ymax - y, xmax - x] = g(x, y))."""
    xmax, ymax = ksize_w // 2, ksize_h // 2
    c, s = math.cos(theta), math.sin(theta)
    k = np.zeros((2 * ymax + 1, 2 * xmax + 1))
    for y in range(-ymax, ymax + 1):
        for x in range(-xmax, xmax + 1):
            xr = x * c + y * s
            yr = -x * s + y * c
            v = math.exp(-(xr * xr + gamma * gamma * yr * yr) / (2 * sigma * sigma)) * math.cos(
                2 * math.pi * xr / lambd + psi)
            k[ymax - y, xmax - x] = v
    return k


SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float64)  # cv::Sobel dx=1, ksize 3


def relu(x):
    return np.maximum(x, 0)


def conv2d_valid(x, w, b=None, stride=1):
    """tf.nn.conv2d with VALID padding, NHWC x HWIO, in float64."""
    x = np.asarray(x, np.float64)
    w = np.asarray(w, np.float64)
    kh, kw = w.shape[:2]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))  # N H W C kh kw
    out = np.einsum("nhwcij,ijco->nhwo", win, w)[:, ::stride, ::stride, :]
    return out if b is None else out + b


def max_pool(x, k=2, s=2):
    """VALID max pooling, NHWC."""
    n, h, w, c = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))[:, ::s, ::s][:, :oh, :ow]
    return win.max(axis=(-1, -2))

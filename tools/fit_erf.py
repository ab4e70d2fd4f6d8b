#!/usr/bin/env python3
"""Fits the erf approximation of gelu_erf (generators/activation.h) and checks it in float32.

erf(z) ~ sign(z) (1 - P(|z|)^-16) on |z| <= 4 (beyond, erf rounds to +-1 in float and the kernel
saturates), P a polynomial of degree 6: the form of Abramowitz and Stegun 7.1.28, with our own
coefficients. Its absolute error is largest near 0, where gelu multiplies it by x / 2, and tiny
near the saturation point, where gelu's 1 + erf cancels. The fit minimizes erf's absolute error
(weighted least squares on P, reweighted toward minimax). Prints the coefficients and, in float32
(Horner without FMA, as SSE4.1 and OpenCL evaluate it), erf's error and gelu's error against the
test tolerance of tests/layers_test.cpp (8 u |gelu| + 1e-6), for x > 0 and x < 0.

    .venv/bin/python tools/fit_erf.py      # needs numpy (the project venv has it)
"""
import math

import numpy as np

DEGREE, Z_MAX, NODES = 6, 4.0, 6000


def fit():
    z = Z_MAX * (1 - np.cos(np.pi * (np.arange(NODES) + 0.5) / NODES)) / 2  # dense near 0 and 4
    erf = np.array([math.erf(v) for v in z])
    target = np.array([math.erfc(v) for v in z]) ** (-1.0 / 16)  # P's exact value
    sensitivity = 16 * target ** -17  # d erf / d P: P's error scaled to erf's
    a = np.column_stack([z ** j for j in range(DEGREE + 1)])
    weights, best = np.ones(NODES), None
    for _ in range(80):
        scale = sensitivity * np.sqrt(weights)
        c = np.linalg.lstsq(a * scale[:, None], target * scale, rcond=None)[0]
        err = (1 - np.polyval(c[::-1], z) ** -16) - erf
        worst = np.max(np.abs(err))
        if best is None or worst < best[0]:
            best = (worst, c)
        weights = weights * (np.abs(err) / worst + 1e-3)  # Lawson: weight where the error is large
        weights /= weights.mean()
    return best


def erf_float32(z, c):
    p = np.zeros_like(z)
    for v in np.float32(c)[::-1]:
        p = p * z + v
    p2 = p * p
    p4 = p2 * p2
    p8 = p4 * p4
    return np.float32(1) - np.float32(1) / (p8 * p8)


def main():
    worst, c = fit()
    print(f"double-precision fit: max |erf error| {worst:.3g}")
    print("P:", ", ".join(f"{v:.9g}f" for v in c))
    z = np.linspace(0, Z_MAX, 400_001, dtype=np.float32)
    e = erf_float32(z, c)
    err = np.abs(e.astype(np.float64) - np.array([math.erf(float(v)) for v in z]))
    print(f"float32: max |erf error| {err.max():.3g} at z = {z[err.argmax()]:.4f}")
    for sign in (1, -1):
        x = np.float32(sign) * z * np.float32(math.sqrt(2))
        got = x * (np.float32(0.5) + np.float32(0.5) * (np.float32(sign) * e))
        want = np.array([v * 0.5 * math.erfc(-v / math.sqrt(2)) for v in x.astype(np.float64)])
        gerr = np.abs(got - want)
        ratio = gerr / (8 * 2.0**-24 * np.abs(want) + 1e-6)
        print(f"gelu_erf, x {'>' if sign > 0 else '<'} 0: max |error| {gerr.max():.3g}, "
              f"max error / test tolerance {ratio.max():.2f}")


if __name__ == "__main__":
    main()

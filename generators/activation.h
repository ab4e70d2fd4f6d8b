// Activation functions (algorithm), shared by the activation generator and every op that fuses
// an activation into its output (filter2d, separable, conv2d, the seed models).
//
// Semantics are TensorFlow's, also at the ends of the float range and for non-finite inputs,
// on every device and CPU variant (tests/activation_extremes_test.cpp):
//   NaN in -> NaN out, for every kind (relu and relu6 included);
//   relu(+-inf) = inf, 0; relu6(+-inf) = 6, 0; leaky_relu(-inf) = -inf;
//   sigmoid -> 0 and 1 at the ends (never 1 for very negative x), tanh -> -1 and 1;
//   gelu (erf and tanh forms) ~ x for large x, +inf at +inf, -0 for large negative x, and NaN
//   at -inf (TensorFlow's 0.5 x (1 + erf(..)) is -inf * 0 there).
// Halide's exp and tanh, and erf_for_gelu below, are approximations only accurate on a bounded
// range (exp of 1.5e9 came out near 0, so sigmoid(-1.5e9) was 1), so each kind uses them only
// there.
#pragma once
#include "Halide.h"
#include "hk/enums.h"

namespace hk::gen {

// erf(z) for gelu_erf, |z| <= 4 (the caller saturates beyond): sign(z) (1 - P(|z|)^-16), the
// form of Abramowitz and Stegun 7.1.28 with coefficients fitted by tools/fit_erf.py. Its error
// is absolute, largest near 0 (1.9e-6 in float32), where gelu multiplies it by x / 2, and tiny
// near saturation, where gelu's 1 + erf cancels: gelu within 0.54 of the tests' tolerance in
// float32 without FMA. Not a general erf. One polynomial, four squarings and a division per
// element: Halide's erf evaluates a second polynomial and a select besides, and gelu_erf is
// compute-bound (Zen 3, AVX2, 2 threads: 256x256x32 1.14-1.24 -> 0.81-0.85 ms, 56x56x64 0.114
// -> 0.084 ms). A rational z P(z^2) / Q(z^2) was no faster (0.89-0.92 ms) and reached 1.08 of
// the tolerance on PoCL (its error does not shrink near saturation).
inline Halide::Expr erf_for_gelu(Halide::Expr z) {
    // c[0]: the fit's 1.00000002, which is 1 in float.
    const float c[] = {1.0f, 0.0705227519f, 0.0422837938f, 0.00926657723f,
                       0.000156077769f, 0.000274644932f, 4.33997675e-05f};
    Halide::Expr a = Halide::abs(z), p = c[6];
    for (int i = 5; i >= 0; i--) p = p * a + c[i];
    Halide::Expr p2 = p * p, p4 = p2 * p2, p8 = p4 * p4;
    Halide::Expr e = 1.0f - 1.0f / (p8 * p8);
    return Halide::select(z < 0.0f, -e, e);
}

// `kind` is a runtime value (an hk::Activation); schedules specialize on it so each kind gets
// straight-line code.
inline Halide::Expr activate(Halide::Expr v, Halide::Expr kind, Halide::Expr alpha) {
    using namespace Halide;
    auto is = [&](Activation a) { return kind == int(a); };
    const float sqrt_2_over_pi = 0.7978845608028654f, inv_sqrt_2 = 0.7071067811865476f;
    // sigmoid from e = exp(-|v|) in (0, 1]: 1 / (1 + e) for v >= 0, e / (1 + e) below. |v| is
    // clamped at 104, where e is below float's smallest subnormal: the result is exactly 0 or 1.
    Expr e = exp(-min(abs(v), 104.0f));
    Expr sigmoid = select(v >= 0.0f, 1.0f / (1.0f + e), e / (1.0f + e));
    // tanh and erf written out where they round to +-1 in float (tanh beyond 9.1, erf beyond
    // 4: the rest is below half an ulp of 1): exact saturation, so 1 + tanh(..) is exactly 0
    // for very negative arguments and gelu goes to -0, not to x times a rounding residue.
    auto saturated = [](Expr z, float at, Expr inside) { return select(z >= at, 1.0f, z <= -at, -1.0f, inside); };
    Expr tanh_v = saturated(v, 9.1f, Halide::tanh(v));
    // gelu as v (0.5 + 0.5 s): the factor is exactly 1 or 0 when s saturates, so gelu(FLT_MAX)
    // does not overflow on compilers that reorder 0.5 v (1 + s) into v (1 + s) 0.5 (PoCL did).
    Expr gelu_erf = v * (0.5f + 0.5f * saturated(v * inv_sqrt_2, 4.0f, erf_for_gelu(v * inv_sqrt_2)));
    Expr inner = sqrt_2_over_pi * (v + 0.044715f * v * v * v);
    Expr gelu_tanh = v * (0.5f + 0.5f * saturated(inner, 9.1f, Halide::tanh(inner)));
    Expr r = select(is(Activation::relu), select(v > 0.0f, v, 0.0f),
             select(is(Activation::leaky_relu), select(v >= 0.0f, v, alpha * v),
             select(is(Activation::relu6), select(v > 6.0f, 6.0f, select(v > 0.0f, v, 0.0f)),
             select(is(Activation::sigmoid), sigmoid,
             select(is(Activation::tanh), tanh_v,
             select(is(Activation::gelu_erf), gelu_erf,
             select(is(Activation::gelu_tanh), gelu_tanh, v)))))));
    // NaN in, NaN out (the comparisons above send NaN to a constant; clamp would too). Tested on
    // the bits: Halide's float optimizations assume no NaNs, so a float test (is_nan, v != v)
    // may fold away, and strict_float(is_nan) fails to compile for OpenCL in Halide 21.
    Expr nan = (reinterpret<uint32_t>(v) & cast<uint32_t>(0x7fffffff)) > cast<uint32_t>(0x7f800000);
    return select(nan, v, r);
}

}  // namespace hk::gen

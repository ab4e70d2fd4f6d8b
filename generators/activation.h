// Activation functions (algorithm), shared by the activation generator and every op that fuses
// an activation into its output (filter2d, separable, conv2d, the seed models).
#pragma once
#include "Halide.h"
#include "hk/enums.h"

namespace hk::gen {

// `kind` is a runtime value (an hk::Activation); schedules specialize on it so each kind gets
// straight-line code.
inline Halide::Expr activate(Halide::Expr v, Halide::Expr kind, Halide::Expr alpha) {
    using Halide::select;
    auto is = [&](Activation a) { return kind == int(a); };
    const float sqrt_2_over_pi = 0.7978845608028654f, inv_sqrt_2 = 0.7071067811865476f;
    Halide::Expr gelu_tanh = 0.5f * v * (1.0f + Halide::tanh(sqrt_2_over_pi * (v + 0.044715f * v * v * v)));
    return select(is(Activation::relu), Halide::max(v, 0.0f),
           select(is(Activation::leaky_relu), select(v >= 0.0f, v, alpha * v),
           select(is(Activation::relu6), Halide::clamp(v, 0.0f, 6.0f),
           select(is(Activation::sigmoid), 1.0f / (1.0f + Halide::exp(-v)),
           select(is(Activation::tanh), Halide::tanh(v),
           select(is(Activation::gelu_erf), 0.5f * v * (1.0f + Halide::erf(v * inv_sqrt_2)),
           select(is(Activation::gelu_tanh), gelu_tanh, v)))))));
}

}  // namespace hk::gen

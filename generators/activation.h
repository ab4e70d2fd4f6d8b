// Activation functions (algorithm), shared by the activation generator and every op that fuses
// an activation into its output (conv2d, the seed models).
#pragma once
#include "Halide.h"

namespace hk::gen {

// Must match hk::Activation in runtime/include/hk/layers.h.
enum ActivationKind : int {
    kActNone = 0,
    kActRelu = 1,
    kActLeakyRelu = 2,  // x >= 0 ? x : alpha * x
    kActRelu6 = 3,
    kActSigmoid = 4,
    kActTanh = 5,
    kActGeluErf = 6,   // 0.5 x (1 + erf(x / sqrt 2))
    kActGeluTanh = 7,  // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
};
constexpr int kActCount = 8;

// `kind` is a runtime value; schedules specialize on it so each kind gets straight-line code.
inline Halide::Expr activate(Halide::Expr v, Halide::Expr kind, Halide::Expr alpha) {
    using Halide::select;
    const float sqrt_2_over_pi = 0.7978845608028654f, inv_sqrt_2 = 0.7071067811865476f;
    Halide::Expr gelu_tanh = 0.5f * v * (1.0f + Halide::tanh(sqrt_2_over_pi * (v + 0.044715f * v * v * v)));
    return select(kind == kActRelu, Halide::max(v, 0.0f),
           select(kind == kActLeakyRelu, select(v >= 0.0f, v, alpha * v),
           select(kind == kActRelu6, Halide::clamp(v, 0.0f, 6.0f),
           select(kind == kActSigmoid, 1.0f / (1.0f + Halide::exp(-v)),
           select(kind == kActTanh, Halide::tanh(v),
           select(kind == kActGeluErf, 0.5f * v * (1.0f + Halide::erf(v * inv_sqrt_2)),
           select(kind == kActGeluTanh, gelu_tanh, v)))))));
}

}  // namespace hk::gen

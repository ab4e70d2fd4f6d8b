// The enums that cross from the hk:: API into the generated pipelines, which take them as
// int32 inputs: the generators include this header too, so both sides share one definition.
// Dependency-free on purpose (the generators build against Halide only).
#pragma once

namespace hk {

// Activation functions, applied alone (hk::activation) or fused into other ops. Semantics are
// TensorFlow's on every device, also for non-finite and extreme inputs: NaN in gives NaN out
// (relu and relu6 too); relu(-inf) = 0, relu6(inf) = 6; sigmoid and tanh reach exactly 0 / -1
// and 1 at the ends; gelu(x) = x for large x, inf at inf, -0 for very negative x and NaN at
// -inf (TensorFlow's 0.5 x (1 + erf(x / sqrt 2)) is -inf * 0 there).
enum class Activation {
    none,
    relu,
    leaky_relu,  // x >= 0 ? x : alpha x
    relu6,       // min(max(x, 0), 6)
    sigmoid,
    tanh,
    gelu_erf,    // 0.5 x (1 + erf(x / sqrt 2)), exact
    gelu_tanh,   // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), the approximation
};

// What a filter reads outside the image (OpenCV's names in brackets).
enum class Border {
    zero,        // constant 0                      [BORDER_CONSTANT, value 0]
    replicate,   // edge pixel repeated: aaa|abcd|ddd [BORDER_REPLICATE]
    reflect101,  // mirror without the edge: cb|abcd|cb [BORDER_REFLECT_101, OpenCV's default]
};

enum class PoolKind { max, average };

}  // namespace hk

// Activation functions, applied alone (hk::activation) or fused into other ops.
#pragma once

namespace hk {

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

struct ActivationParams {
    Activation kind = Activation::relu;
    float alpha = 0.2f;  // leaky_relu's slope (Keras' default is 0.3, TensorFlow's 0.2)
};

}  // namespace hk

// Activation functions, applied alone (hk::activation) or fused into other ops.
#pragma once
#include "hk/enums.h"

namespace hk {

struct ActivationParams {
    Activation kind = Activation::relu;
    float alpha = 0.2f;  // leaky_relu's slope (Keras' default is 0.3, TensorFlow's 0.2)
};

}  // namespace hk

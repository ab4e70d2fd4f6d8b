// Activation functions, applied alone (hk::activation) or fused into other ops.
#pragma once
#include "hk/enums.h"

namespace hk {

// Defaults follow the rule of every hk:: parameter struct: layers default as their Keras layer
// does (Keras' activation=None is none), filters as their OpenCV function does. So
// ActivationParams{} and every fused activation field are none until set.
struct ActivationParams {
    Activation kind = Activation::none;
    float alpha = 0.2f;  // leaky_relu's slope (Keras' default is 0.3, TensorFlow's 0.2)
};

}  // namespace hk

// The seed's three models (a Keras Lambda around tf.nn.conv2d, then a layer), corrected, each
// runnable fused -- one pipeline; intermediates stay in cache (CPU) or on the device (GPU) --
// or unfused -- the same hk:: ops one after another through intermediate tensors -- to compare.
// GaborConvModel and BoxPoolModel are hk::Sequential layers too (Sequential::add), running the
// fused pipeline; their weights and bias are copied at add().
#pragma once
#include "hk/device.h"
#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk {

enum class Fusion { fused, unfused };

// Each model's first stage is the filter its params describe, with their border: the default
// Border::reflect101 (OpenCV's); set Border::zero for what tf.nn.conv2d's SAME computes (the
// seed's Lambda layers).
//
// 1. Gabor filter on each channel (SAME), then conv2d with bias and activation.
//    The seed: Lambda(gabor_filter) -> Conv2D(32, (3, 3), activation='relu') on 256x256x3.
//    Fused, each band of output rows stages the Gabor responses under its dilated window, so
//    the fused model takes conv windows of at most kMaxFusedConvExtent rows and columns,
//    dilation included ((k - 1) dilation + 1); larger dilations run with Fusion::unfused
//    (fused they return unsupported: the staging would recompute the Gabor stage many times).
struct GaborConvModel {
    GaborParams gabor;  // padding same, channels per_channel
    FilterView weights;
    const float *bias = nullptr;
    Conv2DParams conv;
};
constexpr int kMaxFusedConvExtent = 65;

// 2. Box (averaging) filter on each channel (SAME), then pooling.
//    The seed: Lambda(average_filter, 5x5) -> MaxPooling2D((2, 2)) on 64x64x1.
struct BoxPoolModel {
    BoxFilterParams box;  // padding same, channels per_channel
    Pool2DParams pool;
};

// 3. Directional derivative, then an activation.
//    The seed: Lambda(directional_derivative, [1, 1]) -> Activation('relu') on 128x128x1.
struct DerivativeActivationModel {
    DerivativeParams derivative;  // its own activation must be none: the model adds one
    ActivationParams activation;
};

// Output shapes, in the form of every op (filters.h). Fused and unfused give the same shape.
Status output_shape(const Shape &in, const GaborConvModel &m, Shape *out);
Status output_shape(const Shape &in, const BoxPoolModel &m, Shape *out);
Status output_shape(const Shape &in, const DerivativeActivationModel &m, Shape *out);

Status run_model(const ConstTensor &in, const Tensor &out, const GaborConvModel &m,
                 Fusion fusion = Fusion::fused, Device device = Device::automatic);
Status run_model(const ConstTensor &in, const Tensor &out, const BoxPoolModel &m,
                 Fusion fusion = Fusion::fused, Device device = Device::automatic);
Status run_model(const ConstTensor &in, const Tensor &out, const DerivativeActivationModel &m,
                 Fusion fusion = Fusion::fused, Device device = Device::automatic);

}  // namespace hk

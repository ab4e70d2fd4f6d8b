// CNN layers over NHWC float32 tensors, with TensorFlow/Keras semantics. Defaults are Keras'
// layer defaults: Conv2D and MaxPooling2D pad VALID, activations are none until set.
#pragma once
#include <memory>

#include "hk/activation.h"
#include "hk/enums.h"
#include "hk/device.h"
#include "hk/filters.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk {

// out = activation(in), elementwise; out has in's shape (in-place is allowed: out == in).
Status activation(const ConstTensor &in, const Tensor &out, const ActivationParams &p,
                  Device device = Device::automatic);

struct Pool2DParams {
    PoolKind kind = PoolKind::max;
    int window_h = 2, window_w = 2;
    int stride_h = 2, stride_w = 2;
    Padding padding = Padding::valid;
    Pads pads;                       // for Padding::explicit_pads
    bool count_include_pad = false;  // average: divide by the whole window, padding included
};

// Max / average pooling. Padded cells are ignored, as TensorFlow does (max never sees them;
// average divides by the number of real cells) unless count_include_pad.
Status pool2d(const ConstTensor &in, const Tensor &out, const Pool2DParams &p,
              Device device = Device::automatic);

// Convolution weights, HWIO as Keras/TensorFlow store them: [kh][kw][in_channels][out_channels],
// dense. in_channels is per group (the input has groups * in_channels channels).
struct FilterView {
    const float *data = nullptr;
    int kh = 0, kw = 0, in_channels = 0, out_channels = 0;
};

struct Conv2DParams {
    int stride_h = 1, stride_w = 1;
    int dilation_h = 1, dilation_w = 1;
    // groups > 1: grouped convolution. Depthwise with channel multiplier M: groups = C,
    // weights [kh][kw][1][C * M], output channel k * M + q -- TensorFlow's depthwise layout.
    int groups = 1;
    Padding padding = Padding::valid;  // Keras' Conv2D default (padding='valid')
    Pads pads;  // for Padding::explicit_pads
    ActivationParams activation;  // fused into the output; none by default
};

// tf.nn.conv2d (cross-correlation) + bias + activation. bias: out_channels floats, or null.
Status conv2d(const ConstTensor &in, const FilterView &weights, const float *bias, const Tensor &out,
              const Conv2DParams &p, Device device = Device::automatic);

// A conv2d layer in one value (hk::Sequential::add takes it): conv2d's arguments but the tensors.
struct Conv2DLayer {
    FilterView weights;
    const float *bias = nullptr;  // out_channels floats, or null
    Conv2DParams params;
};

namespace detail {
struct ConvWeights;
struct PackedConvAccess;
}  // namespace detail

// conv2d weights prepared once for many calls, as oneDNN reorders its weights once: the HWIO
// weights and the bias, checked and copied into the layout the kernels read. Each (ky, kx, i)
// row of out_channels weights starts on a 64-byte boundary and is padded to whole 16-float
// vectors, so no weight vector the kernels load straddles two cache lines; a layer without bias
// gets its zeros here. A call given packed weights reads them in place, without a copy; it checks
// their shape against the input and the params. (hk::conv2d with a FilterView packs per call
// where its weights are not in that layout already, i.e. unless out_channels is a multiple of 16
// and the data 64-byte aligned; hk::Sequential packs at build().) The packed memory is immutable
// and shared by copies of the object, so they are cheap; the caller's weights and bias may be
// freed after pack().
class PackedConv2DWeights {
public:
    PackedConv2DWeights();  // empty: conv2d rejects it
    // weights: HWIO as conv2d takes them; bias: out_channels floats, or null (zeros).
    static Status pack(const FilterView &weights, const float *bias, PackedConv2DWeights *out);
    bool empty() const { return packed_ == nullptr; }
    // The packed weights' sizes (data: null; the memory is the object's).
    FilterView shape() const;

private:
    friend struct detail::PackedConvAccess;
    std::shared_ptr<const detail::ConvWeights> packed_;
};

// A conv2d layer on packed weights (hk::Sequential::add takes it too).
struct PackedConv2DLayer {
    PackedConv2DWeights weights;
    Conv2DParams params;
};

// conv2d on packed weights: the same results as the FilterView call, bit for bit.
Status conv2d(const ConstTensor &in, const PackedConv2DWeights &weights, const Tensor &out, const Conv2DParams &p,
              Device device = Device::automatic);

// Output shapes, in the form of every op (filters.h): the layer's checks, then *out.
Status output_shape(const Shape &in, const ActivationParams &p, Shape *out);
Status output_shape(const Shape &in, const Pool2DParams &p, Shape *out);
Status output_shape(const Shape &in, const Conv2DLayer &layer, Shape *out);
Status output_shape(const Shape &in, const PackedConv2DLayer &layer, Shape *out);

}  // namespace hk

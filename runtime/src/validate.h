// The argument checks the ops share. Each returns ok() or a Status whose message names the op,
// the argument and the value. Tensor checks (null data, strides, overlap) are in internal.h.
#pragma once
#include <cstdint>
#include <string>

#include "hk/device.h"
#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/models.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk::detail {

constexpr int64_t kMaxChannels = 1 << 20;  // per conv2d weight dimension, and groups

// A packed conv2d weight row (ConvWeights): out_channels rounded up to whole 16-float vectors
// (64 bytes: a cache line, one AVX-512 vector). The size check and the packing both use it.
constexpr int64_t kConvRowFloats = 16;
constexpr int64_t packed_conv_row_floats(int64_t out_channels) {
    return (out_channels + kConvRowFloats - 1) / kConvRowFloats * kConvRowFloats;
}

Status invalid_argument(const std::string &message);

// lo <= v <= hi: "op: what = v must be in [lo, hi]".
Status check_range(const char *op, const char *what, int64_t v, int64_t lo, int64_t hi);

// Both kernel sides in [1, kMaxKernelSize]; `what` names them ("ksize", "gabor ksize").
Status check_ksize(const char *op, const char *what, int kw, int kh);

// A value of the enum: "op: arg = 7 is not a Border". A null op leaves the prefix out.
Status check_enum(const char *op, const char *arg, Border v);
Status check_enum(const char *op, const char *arg, Padding v);
Status check_enum(const char *op, const char *arg, ChannelMode v);
Status check_enum(const char *op, const char *arg, LowRank v);
Status check_enum(const char *op, const char *arg, FilterPath v);
Status check_enum(const char *op, const char *arg, Stencil v);
Status check_enum(const char *op, const char *arg, GaborResponse v);
Status check_enum(const char *op, const char *arg, PoolKind v);
Status check_enum(const char *op, const char *arg, Activation v);
Status check_enum(const char *op, const char *arg, Fusion v);
Status check_enum(const char *op, const char *arg, Device v);

// A filter's border, padding (same or valid: filters have no explicit pads) and channel mode.
Status check_filter_enums(const char *op, Border border, Padding padding, ChannelMode channels);

// A known activation kind and a finite alpha.
Status check_activation(const char *op, const ActivationParams &a);

// A non-null out-parameter: "op: what is null".
Status check_not_null(const char *op, const char *what, const void *p);

// Every v[i] finite: "op: what[i] is not a finite number".
Status check_finite(const char *op, const char *what, const float *v, int n);

// The anchor (-1: the centre) inside the kw x kh kernel; *ax, *ay get it resolved.
Status resolve_anchor(const char *op, int anchor_x, int anchor_y, int kw, int kh, int *ax, int *ay);

// The device an op runs on: a Device, present here; *resolved gets `automatic` resolved.
Status resolve_device(const char *op, Device requested, Device *resolved);

// A filter's input shape is valid and VALID padding leaves an output.
Status check_filter_shapes(const char *op, const Shape &in, const Shape &out);

// Convolution weights' sizes (not their data): sides, channels, and at most 2 GiB in all as
// packed (ConvWeights pads each row of out_channels to whole 16-float vectors). Each factor is
// range-checked first, so the product cannot overflow.
Status check_conv_weights(const char *op, const FilterView &w);

}  // namespace hk::detail

// hk::activation, hk::pool2d, hk::conv2d as plans (see ops.h), and their one-shot entry points.
// Their output shapes and pads come from window.cpp. conv2d's weights are packed here (ConvWeights).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "hk/layers.h"
#include "hk_kernel_table.h"  // generated: detail::kernels::<kernel>
#include "ops.h"
#include "validate.h"

namespace hk {

template <typename T>
Status detail::plan_layer(const Shape &in, const ActivationParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    if (Status s = check_activation(op, p); !s.ok()) return s;
    if (Status s = check_shape("input", in); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan->out = in;
    plan->fold_x_into_c = true;  // elementwise: packed rows are one contiguous dimension
    auto fn = kernels::activation.get(plan->device);
    const int kind = int(p.kind);
    const float alpha = p.alpha;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) { return fn(uc, i, kind, alpha, o); };
    return {};
}

template <typename T>
Status detail::plan_layer(const Shape &in, const Pool2DParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    WindowPlan w;
    if (Status s = pool2d_window(op, in, p, &w); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan->out = w.out;
    auto fn = kernels::pooling.get(plan->device);
    const Pool2DParams q = p;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, int(q.kind), q.window_w, q.window_h, q.stride_w, q.stride_h, w.pad_left, w.pad_top,
                  q.count_include_pad, w.windows_inside, o);
    };
    return {};
}

void detail::pack_conv_weights(const FilterView &w, const float *bias, bool may_borrow, ConvWeights *out) {
    constexpr int64_t kRow = kConvRowFloats;
    const int64_t O = w.out_channels, rows = int64_t(w.kh) * w.kw * w.in_channels;
    const int64_t stride = packed_conv_row_floats(O);
    const bool borrow_weights =
        may_borrow && stride == O && reinterpret_cast<uintptr_t>(w.data) % (kRow * sizeof(float)) == 0;
    const bool borrow_bias = may_borrow && bias != nullptr;
    // [up to kRow - 1 floats to reach a 64-byte boundary][rows x stride weights][O bias]
    const size_t weight_floats = borrow_weights ? 0 : size_t(rows * stride + kRow - 1);
    out->memory.assign(weight_floats + (borrow_bias ? 0 : size_t(O)), 0.0f);
    out->w = w;
    out->row_stride = borrow_weights ? O : stride;
    if (!borrow_weights) {
        float *rows_start = out->memory.data();
        while (reinterpret_cast<uintptr_t>(rows_start) % (kRow * sizeof(float)) != 0) rows_start++;
        for (int64_t r = 0; r < rows; r++) std::copy_n(w.data + r * O, O, rows_start + r * stride);
        out->w.data = rows_start;
    }
    out->bias = bias;
    if (!borrow_bias) {
        float *bias_copy = out->memory.data() + weight_floats;
        if (bias) std::copy_n(bias, O, bias_copy);  // else the zeros assign() wrote
        out->bias = bias_copy;
    }
}

Status detail::plan_conv(const char *op, const Shape &in, const ConvWeights &w, const Conv2DParams &p,
                         Device device, Planned *plan, ConvPlan *conv) {
    if (Status s = conv2d_window(op, in, w.w, p, &conv->window); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan->out = conv->window.out;
    const int64_t O = w.w.out_channels, I = w.w.in_channels, S = w.row_stride;
    conv->weights = plan->add_param(w.w.data, size_t(w.w.kh) * w.w.kw * I * S, /*own=*/false,
                                    {{O, 1}, {I, S}, {w.w.kw, I * S}, {w.w.kh, w.w.kw * I * S}});
    conv->bias = plan->add_param(w.bias, size_t(O), /*own=*/false, {{O, 1}});
    return {};
}

Status detail::plan_conv(const char *op, const Shape &in, const FilterView &w, const float *bias,
                         const Conv2DParams &p, Device device, Planned *plan, ConvPlan *conv) {
    // Checked before packing reads the weights.
    if (Status s = conv2d_window(op, in, w, p, &conv->window); !s.ok()) return s;
    ConvWeights packed;
    pack_conv_weights(w, bias, /*may_borrow=*/true, &packed);
    plan->storage.push_back(std::move(packed.memory));  // a move: the pointers into it stay valid
    return plan_conv(op, in, packed, p, device, plan, conv);
}

namespace {

// The conv2d pipeline's call on a planned convolution.
void set_conv_invoke(const detail::ConvPlan &c, const Conv2DParams &q, detail::Planned *plan) {
    auto fn = detail::kernels::conv2d.get(plan->device);
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, c.weights, c.bias, q.stride_w, q.stride_h, q.dilation_w, q.dilation_h, c.window.pad_left,
                  c.window.pad_top, q.groups, int(q.activation.kind), q.activation.alpha, o);
    };
}

}  // namespace

template <typename T>
Status detail::plan_layer(const Shape &in, const Conv2DLayer &layer, Device device, Planned *plan) {
    ConvPlan c;
    if (Status s = plan_conv(op_name(layer), in, layer.weights, layer.bias, layer.params, device, plan, &c); !s.ok())
        return s;
    set_conv_invoke(c, layer.params, plan);
    return {};
}

template <typename T>
Status detail::plan_layer(const Shape &in, const PackedConv2DLayer &layer, Device device, Planned *plan) {
    const ConvWeights *packed = PackedConvAccess::get(layer.weights);
    if (packed == nullptr)
        return {StatusCode::invalid_argument,
                std::string(op_name(layer)) + ": the packed weights are empty (make them with PackedConv2DWeights::pack)"};
    ConvPlan c;
    if (Status s = plan_conv(op_name(layer), in, *packed, layer.params, device, plan, &c); !s.ok()) return s;
    set_conv_invoke(c, layer.params, plan);
    return {};
}

PackedConv2DWeights::PackedConv2DWeights() = default;

FilterView PackedConv2DWeights::shape() const {
    if (!packed_) return {};
    FilterView v = packed_->w;
    v.data = nullptr;
    return v;
}

Status PackedConv2DWeights::pack(const FilterView &weights, const float *bias, PackedConv2DWeights *out) {
    constexpr const char *op = "PackedConv2DWeights::pack";
    return detail::guarded([&]() -> Status {
        if (Status s = detail::check_not_null(op, "out", out); !s.ok()) return s;
        if (weights.data == nullptr) return {StatusCode::invalid_argument, std::string(op) + ": weights data is null"};
        if (Status s = detail::check_conv_weights(op, weights); !s.ok()) return s;
        auto packed = std::make_shared<detail::ConvWeights>();
        detail::pack_conv_weights(weights, bias, /*may_borrow=*/false, packed.get());
        out->packed_ = std::move(packed);
        return {};
    });
}

template Status detail::plan_layer<float>(const Shape &, const ActivationParams &, Device, Planned *);
template Status detail::plan_layer<float>(const Shape &, const Pool2DParams &, Device, Planned *);
template Status detail::plan_layer<float>(const Shape &, const Conv2DLayer &, Device, Planned *);
template Status detail::plan_layer<float>(const Shape &, const PackedConv2DLayer &, Device, Planned *);

Status activation(const ConstTensor &in, const Tensor &out, const ActivationParams &p, Device device) {
    return detail::run_op(in, out, p, device, /*allow_in_place=*/true);
}
Status pool2d(const ConstTensor &in, const Tensor &out, const Pool2DParams &p, Device device) {
    return detail::run_op(in, out, p, device);
}
Status conv2d(const ConstTensor &in, const FilterView &weights, const float *bias, const Tensor &out,
              const Conv2DParams &p, Device device) {
    return detail::run_op(in, out, Conv2DLayer{weights, bias, p}, device);
}
Status conv2d(const ConstTensor &in, const PackedConv2DWeights &weights, const Tensor &out, const Conv2DParams &p,
              Device device) {
    return detail::run_op(in, out, PackedConv2DLayer{weights, p}, device);
}

}  // namespace hk

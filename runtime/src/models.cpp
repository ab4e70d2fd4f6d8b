// The seed models: fused, each one pipeline planned like any op (so they are Sequential layers
// too); unfused, the ops one after another through an intermediate tensor.
#include <vector>

#include "gabor_math.h"
#include "hk/models.h"
#include "hk_kernel_table.h"  // generated: detail::kernels::<kernel>
#include "ops.h"
#include "validate.h"

namespace hk {

namespace {

Status check_first_stage(const char *model, Padding padding, ChannelMode channels) {
    if (padding != Padding::same || channels != ChannelMode::per_channel)
        return {StatusCode::unsupported, std::string(model) + ": the first stage must use Padding::same and "
                                                              "ChannelMode::per_channel"};
    return {};
}

// Runs `first` into an intermediate tensor of shape `mid`, then `second` from it. The
// intermediate is checked like any tensor before it is allocated.
template <typename First, typename Second>
Status run_unfused(const Shape &mid, First first, Second second) {
    if (Status s = detail::check_dense_shape("intermediate", mid); !s.ok()) return s;
    std::vector<float> buffer(size_t(mid.elements()));
    Tensor t = Tensor::dense(buffer.data(), mid);
    if (Status s = first(t); !s.ok()) return s;
    return second(ConstTensor(t));
}

// run_model of a model with a fused plan: that plan through run_op, or `first` then `second`
// through an intermediate of the input's shape (the first stage is SAME, per channel).
// Unfused, the tensors get the checks of the fused plan (shape, no overlap), so out == in fails
// alike both ways.
template <typename Model, typename First, typename Second>
Status run_two_stages(const ConstTensor &in, const Tensor &out, const Model &m, Fusion fusion, Device d,
                      First first, Second second) {
    return detail::guarded([&]() -> Status {
        if (Status s = detail::check_enum("run_model", "fusion", fusion); !s.ok()) return s;
        if (fusion == Fusion::fused) return detail::run_op(in, out, m, d);
        if (Status s = detail::check_tensor("input", in, false); !s.ok()) return detail::with_op(detail::op_name(m), s);
        Shape want;
        if (Status s = output_shape(in.shape, m, &want); !s.ok()) return s;
        if (Status s = detail::check_io(detail::op_name(m), in, out, want); !s.ok()) return s;
        return run_unfused(in.shape, first, second);
    });
}

}  // namespace

// ---- 1. Gabor -> conv2d ------------------------------------------------------------------------

Status output_shape(const Shape &in, const GaborConvModel &m, Shape *out) {
    Shape mid;
    if (Status s = detail::check_not_null("gabor_conv", "output_shape's out", out); !s.ok()) return s;
    if (Status s = check_first_stage("gabor_conv", m.gabor.padding, m.gabor.channels); !s.ok()) return s;
    if (Status s = output_shape(in, m.gabor, &mid); !s.ok()) return s;
    return output_shape(mid, Conv2DLayer{m.weights, m.bias, m.conv}, out);
}

template <typename T>
Status detail::plan_layer(const Shape &in, const GaborConvModel &m, Device device, Planned *plan) {
    const char *op = op_name(m);
    if (Status s = check_first_stage(op, m.gabor.padding, m.gabor.channels); !s.ok()) return s;
    GaborConstants g;
    if (Status s = gabor_constants(m.gabor, &g); !s.ok()) return s;
    if (Status s = check_ksize(op, "gabor ksize", m.gabor.ksize_w, m.gabor.ksize_h); !s.ok()) return s;
    if (Status s = check_enum(op, "gabor border", m.gabor.border); !s.ok()) return s;
    ConvPlan conv;
    if (Status s = plan_conv(op, in, m.weights, m.bias, m.conv, device, plan, &conv); !s.ok()) return s;
    const int64_t extent_h = int64_t(m.weights.kh - 1) * m.conv.dilation_h + 1;
    const int64_t extent_w = int64_t(m.weights.kw - 1) * m.conv.dilation_w + 1;
    if (extent_h > kMaxFusedConvExtent || extent_w > kMaxFusedConvExtent)
        return {StatusCode::unsupported, std::string(op) + ": the fused model's conv window spans " +
                                             std::to_string(extent_h) + "x" + std::to_string(extent_w) +
                                             " (dilation included), more than kMaxFusedConvExtent = " +
                                             std::to_string(kMaxFusedConvExtent) + "; use Fusion::unfused"};
    auto fn = kernels::gabor_conv.get(plan->device);
    const int kw = m.gabor.ksize_w, kh = m.gabor.ksize_h, border = int(m.gabor.border);
    const Conv2DParams c = m.conv;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kw, kh, g.cos_theta, g.sin_theta, g.ex, g.ey, g.cscale, g.psi, border, conv.weights,
                  conv.bias, c.stride_w, c.stride_h, c.dilation_w, c.dilation_h, conv.window.pad_left,
                  conv.window.pad_top, c.groups, int(c.activation.kind), c.activation.alpha, o);
    };
    return {};
}

Status run_model(const ConstTensor &in, const Tensor &out, const GaborConvModel &m, Fusion fusion, Device d) {
    return run_two_stages(
        in, out, m, fusion, d,
        [&](const Tensor &mid) { return gabor(in, mid, m.gabor, d); },
        [&](const ConstTensor &mid) { return conv2d(mid, m.weights, m.bias, out, m.conv, d); });
}

// ---- 2. box -> pooling -------------------------------------------------------------------------

Status output_shape(const Shape &in, const BoxPoolModel &m, Shape *out) {
    Shape mid;
    if (Status s = detail::check_not_null("box_pool", "output_shape's out", out); !s.ok()) return s;
    if (Status s = check_first_stage("box_pool", m.box.padding, m.box.channels); !s.ok()) return s;
    if (Status s = output_shape(in, m.box, &mid); !s.ok()) return s;
    return output_shape(mid, m.pool, out);
}

template <typename T>
Status detail::plan_layer(const Shape &in, const BoxPoolModel &m, Device device, Planned *plan) {
    const char *op = op_name(m);
    const BoxFilterParams &b = m.box;
    if (Status s = check_first_stage(op, b.padding, b.channels); !s.ok()) return s;
    if (Status s = check_ksize(op, "box ksize", b.ksize_w, b.ksize_h); !s.ok()) return s;
    if (Status s = check_enum(op, "box border", b.border); !s.ok()) return s;
    WindowPlan w;
    if (Status s = pool2d_window(op, in, m.pool, &w); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan->out = w.out;
    auto fn = kernels::box_pool.get(plan->device);
    const Pool2DParams p = m.pool;
    const int kw = b.ksize_w, kh = b.ksize_h, border = int(b.border);
    const bool normalize = b.normalize;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kw, kh, normalize, border, int(p.kind), p.window_w, p.window_h, p.stride_w, p.stride_h,
                  w.pad_left, w.pad_top, p.count_include_pad, w.windows_inside, o);
    };
    return {};
}

Status run_model(const ConstTensor &in, const Tensor &out, const BoxPoolModel &m, Fusion fusion, Device d) {
    return run_two_stages(
        in, out, m, fusion, d,
        [&](const Tensor &mid) { return box_filter(in, mid, m.box, d); },
        [&](const ConstTensor &mid) { return pool2d(mid, out, m.pool, d); });
}

template Status detail::plan_layer<float>(const Shape &, const GaborConvModel &, Device, Planned *);
template Status detail::plan_layer<float>(const Shape &, const BoxPoolModel &, Device, Planned *);

// ---- 3. directional derivative -> activation ---------------------------------------------------

namespace {

// The model as one filter2d pipeline with the activation on its output.
Status fused_derivative(const DerivativeActivationModel &m, DerivativeParams *fused) {
    if (m.derivative.activation.kind != Activation::none)
        return detail::invalid_argument("derivative_activation: set the activation in the model, not in its derivative");
    *fused = m.derivative;
    fused->activation = m.activation;
    return {};
}

}  // namespace

Status output_shape(const Shape &in, const DerivativeActivationModel &m, Shape *out) {
    DerivativeParams fused;
    if (Status s = detail::check_not_null("derivative_activation", "output_shape's out", out); !s.ok()) return s;
    if (Status s = fused_derivative(m, &fused); !s.ok()) return s;
    return output_shape(in, fused, out);
}

Status run_model(const ConstTensor &in, const Tensor &out, const DerivativeActivationModel &m, Fusion fusion,
                 Device d) {
    return detail::guarded([&]() -> Status {
        if (Status s = detail::check_enum("run_model", "fusion", fusion); !s.ok()) return s;
        if (Status s = detail::check_tensor("input", in, false); !s.ok())
            return detail::with_op("derivative_activation", s);
        DerivativeParams fused;
        if (Status s = fused_derivative(m, &fused); !s.ok()) return s;
        if (fusion == Fusion::fused) return directional_derivative(in, out, fused, d);
        Shape want;
        if (Status s = output_shape(in.shape, fused, &want); !s.ok()) return s;
        if (Status s = detail::check_io("derivative_activation", in, out, want); !s.ok()) return s;
        return run_unfused(
            detail::filter_output_shape(in.shape, m.derivative),
            [&](const Tensor &mid) { return directional_derivative(in, mid, m.derivative, d); },
            [&](const ConstTensor &mid) { return activation(mid, out, m.activation, d); });
    });
}

}  // namespace hk

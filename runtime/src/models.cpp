// The seed models: shared validation, then either one fused pipeline or the ops in sequence.
#include <vector>

#include "hk/models.h"
#include "internal.h"
#include "kernels.h"

namespace hk {

namespace {

using detail::HalideTensor;

Status unsupported(const std::string &msg) { return {StatusCode::unsupported, msg}; }

Status check_first_stage(const char *model, Padding padding, ChannelMode channels) {
    if (padding != Padding::same || channels != ChannelMode::per_channel)
        return unsupported(std::string(model) + ": the first stage must use Padding::same and "
                           "ChannelMode::per_channel");
    return {};
}

Status check_fusion(Fusion f) {
    if (f != Fusion::fused && f != Fusion::unfused)
        return {StatusCode::invalid_argument, "run_model: fusion = " + std::to_string(int(f)) + " is not a Fusion"};
    return {};
}

// Runs `first` into an intermediate tensor of shape `mid`, then `second` from it. The
// intermediate is checked like any tensor before it is allocated.
template <typename First, typename Second>
Status run_unfused(const Shape &mid, First first, Second second) {
    if (Status s = detail::check_dense_shape("intermediate", mid); !s.ok())
        return s;
    std::vector<float> buffer(size_t(mid.elements()));
    Tensor t = Tensor::dense(buffer.data(), mid);
    if (Status s = first(t); !s.ok()) return s;
    return second(ConstTensor(t));
}

}  // namespace

// ---- 1. Gabor -> conv2d ------------------------------------------------------------------------

Status model_output_shape(const Shape &in, const GaborConvModel &m, Shape *out) {
    if (Status s = check_first_stage("gabor_conv", m.gabor.padding, m.gabor.channels); !s.ok()) return s;
    detail::WindowPlan plan;
    if (Status s = detail::conv2d_plan(in, m.weights, m.conv, &plan); !s.ok()) return s;
    *out = plan.out;
    return {};
}

static Status run_body(const ConstTensor &in, const Tensor &out, const GaborConvModel &m, Fusion fusion,
                       Device device) {
    detail::init_runtime();
    const char *op = "gabor_conv";
    if (Status s = check_fusion(fusion); !s.ok()) return s;
    if (Status s = detail::check_tensor("input", in, false); !s.ok()) return s;
    if (Status s = check_first_stage(op, m.gabor.padding, m.gabor.channels); !s.ok()) return s;
    if (fusion == Fusion::unfused) {
        return run_unfused(
            in.shape, [&](const Tensor &mid) { return gabor(in, mid, m.gabor, device); },
            [&](const ConstTensor &mid) { return conv2d(mid, m.weights, m.bias, out, m.conv, device); });
    }
    detail::GaborConstants g;
    if (Status s = detail::gabor_constants(m.gabor, &g); !s.ok()) return s;
    if (m.gabor.ksize_w < 1 || m.gabor.ksize_h < 1 || m.gabor.ksize_w > kMaxKernelSize ||
        m.gabor.ksize_h > kMaxKernelSize)
        return {StatusCode::invalid_argument, "gabor_conv: gabor ksize out of [1, 1023]"};
    if (int(m.gabor.border) < 0 || int(m.gabor.border) > int(Border::reflect101))
        return {StatusCode::invalid_argument, "gabor_conv: gabor border is not a Border"};
    detail::WindowPlan plan;
    if (Status s = detail::conv2d_plan(in.shape, m.weights, m.conv, &plan); !s.ok()) return s;
    if (Status s = detail::check_io(op, in, out, plan.out, device); !s.ok()) return s;

    const int64_t O = m.weights.out_channels, I = m.weights.in_channels;
    std::vector<float> zero_bias;
    const float *bias = m.bias;
    if (bias == nullptr) {
        zero_bias.assign(size_t(O), 0.0f);
        bias = zero_bias.data();
    }
    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    HalideTensor hw(m.weights.data, {{O, 1}, {I, O}, {m.weights.kw, I * O}, {m.weights.kh, m.weights.kw * I * O}});
    HalideTensor hb(bias, {{O, 1}});
    auto fn = detail::kGaborConv.get(d);
    const Conv2DParams &c = m.conv;
    return detail::run_pipeline(op, d, {&hin, &hw, &hb}, hout, [&](void *uc) {
        return fn(uc, &hin.buf, m.gabor.ksize_w, m.gabor.ksize_h, g.cos_theta, g.sin_theta, g.ex, g.ey,
                  g.cscale, g.psi, int(m.gabor.border), &hw.buf, &hb.buf, c.stride_w, c.stride_h,
                  c.dilation_w, c.dilation_h, plan.pad_left, plan.pad_top, c.groups,
                  int(c.activation.kind), c.activation.alpha, &hout.buf);
    });
}

// ---- 2. box -> pooling -------------------------------------------------------------------------

Status model_output_shape(const Shape &in, const BoxPoolModel &m, Shape *out) {
    if (Status s = check_first_stage("box_pool", m.box.padding, m.box.channels); !s.ok()) return s;
    return pool2d_output_shape(in, m.pool, out);
}

static Status run_body(const ConstTensor &in, const Tensor &out, const BoxPoolModel &m, Fusion fusion,
                       Device device) {
    detail::init_runtime();
    const char *op = "box_pool";
    if (Status s = check_fusion(fusion); !s.ok()) return s;
    if (Status s = detail::check_tensor("input", in, false); !s.ok()) return s;
    if (Status s = check_first_stage(op, m.box.padding, m.box.channels); !s.ok()) return s;
    if (fusion == Fusion::unfused) {
        return run_unfused(
            in.shape, [&](const Tensor &mid) { return box_filter(in, mid, m.box, device); },
            [&](const ConstTensor &mid) { return pool2d(mid, out, m.pool, device); });
    }
    const BoxFilterParams &b = m.box;
    if (b.ksize_w < 1 || b.ksize_h < 1 || b.ksize_w > kMaxKernelSize || b.ksize_h > kMaxKernelSize)
        return {StatusCode::invalid_argument, "box_pool: box ksize out of [1, 1023]"};
    if (int(b.border) < 0 || int(b.border) > int(Border::reflect101))
        return {StatusCode::invalid_argument, "box_pool: box border is not a Border"};
    detail::WindowPlan plan;
    if (Status s = detail::pool2d_plan(in.shape, m.pool, &plan); !s.ok()) return s;
    if (Status s = detail::check_io(op, in, out, plan.out, device); !s.ok()) return s;
    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    auto fn = detail::kBoxPool.get(d);
    const Pool2DParams &p = m.pool;
    return detail::run_pipeline(op, d, {&hin}, hout, [&](void *uc) {
        return fn(uc, &hin.buf, b.ksize_w, b.ksize_h, b.normalize, int(b.border), int(p.kind), p.window_w,
                  p.window_h, p.stride_w, p.stride_h, plan.pad_left, plan.pad_top, p.count_include_pad,
                  &hout.buf);
    });
}

// ---- 3. directional derivative -> activation ------------------------------------------------------

Status model_output_shape(const Shape &in, const DerivativeActivationModel &m, Shape *out) {
    *out = output_shape(in, m.derivative);
    if (out->h < 1 || out->w < 1)
        return {StatusCode::shape_mismatch, "derivative_activation: VALID padding leaves no output for input " +
                                                detail::shape_str(in)};
    return {};
}

static Status run_body(const ConstTensor &in, const Tensor &out, const DerivativeActivationModel &m,
                       Fusion fusion, Device device) {
    if (Status s = check_fusion(fusion); !s.ok()) return s;
    if (Status s = detail::check_tensor("input", in, false); !s.ok()) return s;
    if (m.derivative.activation.kind != Activation::none)
        return {StatusCode::invalid_argument,
                "derivative_activation: set the activation in the model, not in its derivative"};
    if (fusion == Fusion::unfused) {
        return run_unfused(
            output_shape(in.shape, m.derivative),
            [&](const Tensor &mid) { return directional_derivative(in, mid, m.derivative, device); },
            [&](const ConstTensor &mid) { return activation(mid, out, m.activation, device); });
    }
    DerivativeParams fused = m.derivative;
    fused.activation = m.activation;  // one filter2d pipeline with the activation on its output
    return directional_derivative(in, out, fused, device);
}

// Public entry points: never throw (see detail::guarded).
Status run_model(const ConstTensor &in, const Tensor &out, const GaborConvModel &m, Fusion f, Device d) {
    return detail::guarded([&] { return run_body(in, out, m, f, d); });
}
Status run_model(const ConstTensor &in, const Tensor &out, const BoxPoolModel &m, Fusion f, Device d) {
    return detail::guarded([&] { return run_body(in, out, m, f, d); });
}
Status run_model(const ConstTensor &in, const Tensor &out, const DerivativeActivationModel &m, Fusion f,
                 Device d) {
    return detail::guarded([&] { return run_body(in, out, m, f, d); });
}

}  // namespace hk

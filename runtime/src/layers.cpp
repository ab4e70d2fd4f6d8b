// hk::activation, hk::pool2d, hk::conv2d: validation, TensorFlow padding arithmetic, and the
// call into the generated pipelines.
#include <cmath>
#include <cstdint>
#include <sstream>
#include <vector>

#include "hk/layers.h"
#include "internal.h"
#include "kernels.h"

namespace hk {

namespace {

using detail::HalideTensor;

constexpr int64_t kMaxStride = 1 << 16;
constexpr int64_t kMaxChannels = 1 << 20;

Status invalid(const std::string &msg) { return {StatusCode::invalid_argument, msg}; }

Status check_activation(const char *op, const ActivationParams &a) {
    if (int(a.kind) < 0 || int(a.kind) > int(Activation::gelu_tanh))
        return invalid(std::string(op) + ": activation kind " + std::to_string(int(a.kind)) +
                       " is not an Activation");
    if (!std::isfinite(a.alpha))
        return invalid(std::string(op) + ": activation alpha must be a finite number");
    return {};
}

Status check_range(const char *op, const char *what, int64_t v, int64_t lo, int64_t hi) {
    if (v >= lo && v <= hi) return {};
    std::ostringstream o;
    o << op << ": " << what << " = " << v << " must be in [" << lo << ", " << hi << "]";
    return invalid(o.str());
}

// One spatial axis of a windowed layer: output length and padding before the first cell.
struct Axis {
    int64_t out = 0, pad_before = 0;
};

// TensorFlow's rules. SAME: out = ceil(in / stride), total pad = max((out - 1) * stride +
// k_eff - in, 0), the odd cell after. VALID: out = floor((in - k_eff) / stride) + 1.
Status resolve_axis(const char *op, const char *axis, int64_t in, int64_t k, int64_t stride,
                    int64_t dilation, Padding padding, int pad_before, int pad_after, Axis *r) {
    const int64_t k_eff = (k - 1) * dilation + 1;
    std::ostringstream o;
    switch (padding) {
    case Padding::same: {
        r->out = (in + stride - 1) / stride;
        const int64_t total = std::max<int64_t>((r->out - 1) * stride + k_eff - in, 0);
        r->pad_before = total / 2;
        return {};
    }
    case Padding::valid:
        if (in < k_eff) {
            o << op << ": the window spans " << k_eff << " along " << axis
              << " (dilation included), more than the VALID input's " << in;
            return {StatusCode::shape_mismatch, o.str()};
        }
        r->out = (in - k_eff) / stride + 1;
        r->pad_before = 0;
        return {};
    case Padding::explicit_pads: {
        if (pad_before < 0 || pad_after < 0 || pad_before > kMaxKernelSize || pad_after > kMaxKernelSize) {
            o << op << ": pads along " << axis << " (" << pad_before << ", " << pad_after
              << ") must be in [0, " << kMaxKernelSize << "]";
            return invalid(o.str());
        }
        const int64_t padded = in + pad_before + pad_after;
        if (padded < k_eff) {
            o << op << ": the window spans " << k_eff << " along " << axis
              << ", more than the padded input's " << padded;
            return {StatusCode::shape_mismatch, o.str()};
        }
        r->out = (padded - k_eff) / stride + 1;
        r->pad_before = pad_before;
        return {};
    }
    }
    return invalid(std::string(op) + ": padding = " + std::to_string(int(padding)) + " is not a Padding");
}

struct Window {
    Axis x, y;
};

Status resolve_window(const char *op, const Shape &in, int kh, int kw, int sh, int sw, int dh, int dw,
                      Padding padding, const Pads &pads, Window *w) {
    if (Status s = detail::check_shape("input", in); !s.ok()) return s;
    if (Status s = check_range(op, "stride_h", sh, 1, kMaxStride); !s.ok()) return s;
    if (Status s = check_range(op, "stride_w", sw, 1, kMaxStride); !s.ok()) return s;
    if (Status s = check_range(op, "dilation_h", dh, 1, kMaxStride); !s.ok()) return s;
    if (Status s = check_range(op, "dilation_w", dw, 1, kMaxStride); !s.ok()) return s;
    if (Status s = resolve_axis(op, "height", in.h, kh, sh, dh, padding, pads.top, pads.bottom, &w->y); !s.ok())
        return s;
    return resolve_axis(op, "width", in.w, kw, sw, dw, padding, pads.left, pads.right, &w->x);
}

}  // namespace

// ---- activation ------------------------------------------------------------------------------

Status detail::plan_activation(const Shape &in, const ActivationParams &p, Device device, Planned *plan) {
    const char *op = "activation";
    if (Status s = check_activation(op, p); !s.ok()) return s;
    if (Status s = check_shape("input", in); !s.ok()) return s;
    if (int(device) < 0 || int(device) > int(Device::automatic))
        return invalid(std::string(op) + ": device = " + std::to_string(int(device)) + " is not a Device");
    if (Status s = check_device(device); !s.ok()) return s;
    plan->out = in;
    plan->device = resolve(device);
    plan->fold_x_into_c = true;  // elementwise: packed rows are one contiguous dimension
    auto fn = kActivation.get(plan->device);
    const int kind = int(p.kind);
    const float alpha = p.alpha;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) { return fn(uc, i, kind, alpha, o); };
    return {};
}

static Status activation_body(const ConstTensor &in, const Tensor &out, const ActivationParams &p, Device device) {
    detail::init_runtime();
    detail::Planned plan;
    if (Status s = detail::plan_activation(in.shape, p, device, &plan); !s.ok()) return s;
    if (Status s = detail::check_io("activation", in, out, plan.out, plan.device, /*allow_in_place=*/true); !s.ok())
        return s;
    return detail::run_planned("activation", plan, in, out);
}

// ---- pooling ---------------------------------------------------------------------------------

Status pool2d_output_shape(const Shape &in, const Pool2DParams &p, Shape *out) {
    const char *op = "pool2d";
    if (p.kind != PoolKind::max && p.kind != PoolKind::average)
        return invalid(std::string(op) + ": kind = " + std::to_string(int(p.kind)) + " is not a PoolKind");
    if (Status s = check_range(op, "window_h", p.window_h, 1, kMaxKernelSize); !s.ok()) return s;
    if (Status s = check_range(op, "window_w", p.window_w, 1, kMaxKernelSize); !s.ok()) return s;
    if (p.padding == Padding::explicit_pads &&
        (p.pads.top >= p.window_h || p.pads.bottom >= p.window_h || p.pads.left >= p.window_w ||
         p.pads.right >= p.window_w))
        return invalid("pool2d: each pad must be smaller than the window, or a window could hold "
                       "padding only");
    Window w;
    if (Status s = resolve_window(op, in, p.window_h, p.window_w, p.stride_h, p.stride_w, 1, 1,
                                  p.padding, p.pads, &w);
        !s.ok())
        return s;
    *out = {in.n, w.y.out, w.x.out, in.c};
    return {};
}

Status detail::pool2d_plan(const Shape &in, const Pool2DParams &p, WindowPlan *plan) {
    if (Status s = pool2d_output_shape(in, p, &plan->out); !s.ok()) return s;
    Window w;
    (void)resolve_window("pool2d", in, p.window_h, p.window_w, p.stride_h, p.stride_w, 1, 1, p.padding,
                         p.pads, &w);
    plan->pad_left = int(w.x.pad_before);
    plan->pad_top = int(w.y.pad_before);
    return {};
}

Status detail::plan_pool2d(const Shape &in, const Pool2DParams &p, Device device, Planned *plan) {
    WindowPlan w;
    if (Status s = pool2d_plan(in, p, &w); !s.ok()) return s;
    if (int(device) < 0 || int(device) > int(Device::automatic))
        return invalid("pool2d: device = " + std::to_string(int(device)) + " is not a Device");
    if (Status s = check_device(device); !s.ok()) return s;
    plan->out = w.out;
    plan->device = resolve(device);
    auto fn = kPooling.get(plan->device);
    const Pool2DParams q = p;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, int(q.kind), q.window_w, q.window_h, q.stride_w, q.stride_h, w.pad_left, w.pad_top,
                  q.count_include_pad, o);
    };
    return {};
}

static Status pool2d_body(const ConstTensor &in, const Tensor &out, const Pool2DParams &p, Device device) {
    detail::init_runtime();
    detail::Planned plan;
    if (Status s = detail::plan_pool2d(in.shape, p, device, &plan); !s.ok()) return s;
    if (Status s = detail::check_io("pool2d", in, out, plan.out, plan.device); !s.ok()) return s;
    return detail::run_planned("pool2d", plan, in, out);
}

// ---- conv2d ----------------------------------------------------------------------------------

Status conv2d_output_shape(const Shape &in, const FilterView &wv, const Conv2DParams &p, Shape *out) {
    const char *op = "conv2d";
    if (Status s = check_range(op, "weights kh", wv.kh, 1, kMaxKernelSize); !s.ok()) return s;
    if (Status s = check_range(op, "weights kw", wv.kw, 1, kMaxKernelSize); !s.ok()) return s;
    if (Status s = check_range(op, "weights in_channels", wv.in_channels, 1, kMaxChannels); !s.ok()) return s;
    if (Status s = check_range(op, "weights out_channels", wv.out_channels, 1, kMaxChannels); !s.ok()) return s;
    if (Status s = check_range(op, "groups", p.groups, 1, kMaxChannels); !s.ok()) return s;
    if (int64_t(wv.kh) * wv.kw * wv.in_channels * wv.out_channels > (int64_t(1) << 29))
        return {StatusCode::unsupported, "conv2d: weights of more than 2 GiB"};
    if (in.c != int64_t(p.groups) * wv.in_channels) {
        std::ostringstream o;
        o << "conv2d: input has " << in.c << " channels but weights [" << wv.kh << ", " << wv.kw
          << ", " << wv.in_channels << ", " << wv.out_channels << "] with groups = " << p.groups
          << " expect " << int64_t(p.groups) * wv.in_channels;
        return {StatusCode::shape_mismatch, o.str()};
    }
    if (wv.out_channels % p.groups != 0) {
        std::ostringstream o;
        o << "conv2d: out_channels = " << wv.out_channels << " is not a multiple of groups = " << p.groups;
        return {StatusCode::shape_mismatch, o.str()};
    }
    Window w;
    if (Status s = resolve_window(op, in, wv.kh, wv.kw, p.stride_h, p.stride_w, p.dilation_h,
                                  p.dilation_w, p.padding, p.pads, &w);
        !s.ok())
        return s;
    *out = {in.n, w.y.out, w.x.out, wv.out_channels};
    return {};
}

Status detail::conv2d_plan(const Shape &in, const FilterView &wv, const Conv2DParams &p, WindowPlan *plan) {
    if (wv.data == nullptr) return invalid("conv2d: weights data is null");
    if (Status s = check_activation("conv2d", p.activation); !s.ok()) return s;
    if (Status s = conv2d_output_shape(in, wv, p, &plan->out); !s.ok()) return s;
    Window w;
    (void)resolve_window("conv2d", in, wv.kh, wv.kw, p.stride_h, p.stride_w, p.dilation_h, p.dilation_w,
                         p.padding, p.pads, &w);
    plan->pad_left = int(w.x.pad_before);
    plan->pad_top = int(w.y.pad_before);
    return {};
}

Status detail::plan_conv2d(const Shape &in, const FilterView &wv, const float *bias, const Conv2DParams &p,
                           Device device, bool own, Planned *plan) {
    WindowPlan w;
    if (Status s = conv2d_plan(in, wv, p, &w); !s.ok()) return s;
    if (int(device) < 0 || int(device) > int(Device::automatic))
        return invalid("conv2d: device = " + std::to_string(int(device)) + " is not a Device");
    if (Status s = check_device(device); !s.ok()) return s;
    plan->out = w.out;
    plan->device = resolve(device);
    const int64_t O = wv.out_channels, I = wv.in_channels;
    halide_buffer_t *hw = plan->add_param(wv.data, size_t(wv.kh) * wv.kw * I * O, own,
                                          {{O, 1}, {I, O}, {wv.kw, I * O}, {wv.kh, wv.kw * I * O}});
    const std::vector<float> zeros(bias ? 0 : size_t(O), 0.0f);
    halide_buffer_t *hb = plan->add_param(bias ? bias : zeros.data(), size_t(O), own || !bias, {{O, 1}});
    auto fn = kConv2D.get(plan->device);
    const Conv2DParams q = p;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, hw, hb, q.stride_w, q.stride_h, q.dilation_w, q.dilation_h, w.pad_left, w.pad_top,
                  q.groups, int(q.activation.kind), q.activation.alpha, o);
    };
    return {};
}

static Status conv2d_body(const ConstTensor &in, const FilterView &wv, const float *bias, const Tensor &out,
                          const Conv2DParams &p, Device device) {
    detail::init_runtime();
    detail::Planned plan;
    if (Status s = detail::plan_conv2d(in.shape, wv, bias, p, device, /*own=*/false, &plan); !s.ok()) return s;
    if (Status s = detail::check_io("conv2d", in, out, plan.out, plan.device); !s.ok()) return s;
    return detail::run_planned("conv2d", plan, in, out);
}

// Public entry points: never throw (see detail::guarded).
Status activation(const ConstTensor &in, const Tensor &out, const ActivationParams &p, Device device) {
    return detail::guarded([&] { return activation_body(in, out, p, device); });
}
Status pool2d(const ConstTensor &in, const Tensor &out, const Pool2DParams &p, Device device) {
    return detail::guarded([&] { return pool2d_body(in, out, p, device); });
}
Status conv2d(const ConstTensor &in, const FilterView &wv, const float *bias, const Tensor &out,
              const Conv2DParams &p, Device device) {
    return detail::guarded([&] { return conv2d_body(in, wv, bias, out, p, device); });
}

}  // namespace hk

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

static Status activation_body(const ConstTensor &in, const Tensor &out, const ActivationParams &p, Device device) {
    detail::init_runtime();
    const char *op = "activation";
    if (Status s = check_activation(op, p); !s.ok()) return s;
    if (Status s = detail::check_io(op, in, out, in.shape, device, /*allow_in_place=*/true); !s.ok())
        return s;
    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    // Packed pixels in both: fold x into the channel dimension, so the pipeline's innermost
    // dimension is one contiguous row (elementwise ops do not care where pixels end).
    if (in.stride_w == in.shape.c && out.stride_w == out.shape.c && in.shape.w * in.shape.c <= INT32_MAX) {
        for (HalideTensor *t : {&hin, &hout}) {
            t->dims[0].extent = int32_t(in.shape.w * in.shape.c);
            t->dims[1].extent = 1;
        }
    }
    auto fn = detail::kActivation.get(d);
    return detail::run_pipeline(op, d, {&hin}, hout,
                                [&](void *uc) { return fn(uc, &hin.buf, int(p.kind), p.alpha, &hout.buf); });
}

// ---- pooling ---------------------------------------------------------------------------------

Status pool2d_output_shape(const Shape &in, const Pool2DParams &p, Shape *out) {
    const char *op = "pool2d";
    if (p.kind != PoolKind::max && p.kind != PoolKind::average)
        return invalid(std::string(op) + ": kind = " + std::to_string(int(p.kind)) + " is not a PoolKind");
    if (Status s = check_range(op, "window_h", p.window_h, 1, kMaxKernelSize); !s.ok()) return s;
    if (Status s = check_range(op, "window_w", p.window_w, 1, kMaxKernelSize); !s.ok()) return s;
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

static Status pool2d_body(const ConstTensor &in, const Tensor &out, const Pool2DParams &p, Device device) {
    detail::init_runtime();
    const char *op = "pool2d";
    detail::WindowPlan plan;
    if (Status s = detail::pool2d_plan(in.shape, p, &plan); !s.ok()) return s;
    if (Status s = detail::check_io(op, in, out, plan.out, device); !s.ok()) return s;
    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    auto fn = detail::kPooling.get(d);
    return detail::run_pipeline(op, d, {&hin}, hout, [&](void *uc) {
        return fn(uc, &hin.buf, int(p.kind), p.window_w, p.window_h, p.stride_w, p.stride_h,
                  plan.pad_left, plan.pad_top, p.count_include_pad, &hout.buf);
    });
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

static Status conv2d_body(const ConstTensor &in, const FilterView &wv, const float *bias, const Tensor &out,
                          const Conv2DParams &p, Device device) {
    detail::init_runtime();
    const char *op = "conv2d";
    detail::WindowPlan plan;
    if (Status s = detail::conv2d_plan(in.shape, wv, p, &plan); !s.ok()) return s;
    if (Status s = detail::check_io(op, in, out, plan.out, device); !s.ok()) return s;

    const int64_t O = wv.out_channels, I = wv.in_channels;
    std::vector<float> zero_bias;
    if (bias == nullptr) {
        zero_bias.assign(size_t(O), 0.0f);
        bias = zero_bias.data();
    }
    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    HalideTensor hweights(wv.data, {{O, 1}, {I, O}, {wv.kw, I * O}, {wv.kh, wv.kw * I * O}});
    HalideTensor hbias(bias, {{O, 1}});
    auto fn = detail::kConv2D.get(d);
    return detail::run_pipeline(op, d, {&hin, &hweights, &hbias}, hout, [&](void *uc) {
        return fn(uc, &hin.buf, &hweights.buf, &hbias.buf, p.stride_w, p.stride_h, p.dilation_w,
                  p.dilation_h, plan.pad_left, plan.pad_top, p.groups,
                  int(p.activation.kind), p.activation.alpha, &hout.buf);
    });
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

// The windowed layers' shapes (conv2d, pooling, and the fused models ending in one):
// TensorFlow's padding arithmetic and the checks of sizes, strides and dilations.
#include <algorithm>
#include <sstream>

#include "hk/layers.h"
#include "ops.h"
#include "validate.h"

namespace hk {

namespace {

constexpr int64_t kMaxStride = 1 << 16;

// One spatial axis of a windowed layer: output length and padding before the first cell.
struct Axis {
    int64_t out = 0, pad_before = 0;
};

// TensorFlow's rules. SAME: out = ceil(in / stride), total pad = max((out - 1) * stride +
// k_eff - in, 0), the odd cell after. VALID: out = floor((in - k_eff) / stride) + 1.
Status resolve_axis(const char *op, const char *axis, int64_t in, int64_t k, int64_t stride, int64_t dilation,
                    Padding padding, int pad_before, int pad_after, Axis *r) {
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
              << (dilation > 1 ? " (dilation included)" : "") << ", more than the VALID input's " << in;
            return {StatusCode::shape_mismatch, o.str()};
        }
        r->out = (in - k_eff) / stride + 1;
        r->pad_before = 0;
        return {};
    case Padding::explicit_pads: {
        if (pad_before < 0 || pad_after < 0 || pad_before > kMaxKernelSize || pad_after > kMaxKernelSize) {
            o << op << ": pads along " << axis << " (" << pad_before << ", " << pad_after << ") must be in [0, "
              << kMaxKernelSize << "]";
            return detail::invalid_argument(o.str());
        }
        const int64_t padded = in + pad_before + pad_after;
        if (padded < k_eff) {
            o << op << ": the window spans " << k_eff << " along " << axis
              << (dilation > 1 ? " (dilation included)" : "") << ", more than the padded input's " << padded;
            return {StatusCode::shape_mismatch, o.str()};
        }
        r->out = (padded - k_eff) / stride + 1;
        r->pad_before = pad_before;
        return {};
    }
    }
    return detail::check_enum(op, "padding", padding);
}

// A kh x kw window with strides and dilations over `in`; sets the output's h and w and the pads.
Status resolve_window(const char *op, const Shape &in, int kh, int kw, int sh, int sw, int dh, int dw,
                      Padding padding, const Pads &pads, detail::WindowPlan *plan) {
    if (Status s = detail::check_shape("input", in); !s.ok()) return s;
    if (Status s = detail::check_range(op, "stride_h", sh, 1, kMaxStride); !s.ok()) return s;
    if (Status s = detail::check_range(op, "stride_w", sw, 1, kMaxStride); !s.ok()) return s;
    if (Status s = detail::check_range(op, "dilation_h", dh, 1, kMaxStride); !s.ok()) return s;
    if (Status s = detail::check_range(op, "dilation_w", dw, 1, kMaxStride); !s.ok()) return s;
    Axis y, x;
    if (Status s = resolve_axis(op, "height", in.h, kh, sh, dh, padding, pads.top, pads.bottom, &y); !s.ok())
        return s;
    if (Status s = resolve_axis(op, "width", in.w, kw, sw, dw, padding, pads.left, pads.right, &x); !s.ok())
        return s;
    plan->out.h = y.out;
    plan->out.w = x.out;
    plan->pad_top = int(y.pad_before);
    plan->pad_left = int(x.pad_before);
    return {};
}

// conv2d's output shape and pads: the weights' sizes (not their data) against the input.
Status conv2d_shape(const char *op, const Shape &in, const FilterView &wv, const Conv2DParams &p,
                    detail::WindowPlan *plan) {
    using namespace detail;
    if (Status s = check_conv_weights(op, wv); !s.ok()) return s;
    if (Status s = check_range(op, "groups", p.groups, 1, kMaxChannels); !s.ok()) return s;
    if (in.c != int64_t(p.groups) * wv.in_channels) {
        std::ostringstream o;
        o << op << ": input has " << in.c << " channels but weights [" << wv.kh << ", " << wv.kw << ", "
          << wv.in_channels << ", " << wv.out_channels << "] with groups = " << p.groups << " expect "
          << int64_t(p.groups) * wv.in_channels;
        return {StatusCode::shape_mismatch, o.str()};
    }
    if (wv.out_channels % p.groups != 0) {
        std::ostringstream o;
        o << op << ": out_channels = " << wv.out_channels << " is not a multiple of groups = " << p.groups;
        return {StatusCode::shape_mismatch, o.str()};
    }
    plan->out = {in.n, 0, 0, wv.out_channels};
    return resolve_window(op, in, wv.kh, wv.kw, p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.padding,
                          p.pads, plan);
}

}  // namespace

Status detail::conv2d_window(const char *op, const Shape &in, const FilterView &wv, const Conv2DParams &p,
                             WindowPlan *plan) {
    if (wv.data == nullptr) return invalid_argument(std::string(op) + ": weights data is null");
    if (Status s = check_activation(op, p.activation); !s.ok()) return s;
    return conv2d_shape(op, in, wv, p, plan);
}

Status detail::pool2d_window(const char *op, const Shape &in, const Pool2DParams &p, WindowPlan *plan) {
    if (Status s = check_enum(op, "kind", p.kind); !s.ok()) return s;
    if (Status s = check_range(op, "window_h", p.window_h, 1, kMaxKernelSize); !s.ok()) return s;
    if (Status s = check_range(op, "window_w", p.window_w, 1, kMaxKernelSize); !s.ok()) return s;
    if (p.padding == Padding::explicit_pads &&
        (p.pads.top >= p.window_h || p.pads.bottom >= p.window_h || p.pads.left >= p.window_w ||
         p.pads.right >= p.window_w))
        return invalid_argument(std::string(op) + ": each pad must be smaller than the window, or a window "
                                                  "could hold padding only");
    plan->out = {in.n, 0, 0, in.c};
    Status s = resolve_window(op, in, p.window_h, p.window_w, p.stride_h, p.stride_w, 1, 1, p.padding, p.pads, plan);
    // The pipeline's fast branch (generators/pooling.h): windows read without the padding test.
    plan->windows_inside = s.ok() && plan->pad_left == 0 && plan->pad_top == 0 &&
                           (plan->out.w - 1) * int64_t(p.stride_w) + p.window_w <= in.w &&
                           (plan->out.h - 1) * int64_t(p.stride_h) + p.window_h <= in.h;
    return s;
}

}  // namespace hk

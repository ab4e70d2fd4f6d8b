#include "validate.h"

#include <cmath>
#include <sstream>

#include "internal.h"

namespace hk::detail {

namespace {

std::string prefix(const char *op) { return op ? std::string(op) + ": " : std::string(); }

// Enums are checked by range: each of these lists its values from 0 to `last`.
template <typename E>
Status check_enum_range(const char *op, const char *arg, E v, E last, const char *type) {
    if (int(v) >= 0 && int(v) <= int(last)) return {};
    const bool vowel = std::string("AEIOU").find(type[0]) != std::string::npos;
    return invalid_argument(prefix(op) + arg + " = " + std::to_string(int(v)) + " is not " +
                            (vowel ? "an " : "a ") + type);
}

}  // namespace

Status invalid_argument(const std::string &message) { return {StatusCode::invalid_argument, message}; }

Status check_range(const char *op, const char *what, int64_t v, int64_t lo, int64_t hi) {
    if (v >= lo && v <= hi) return {};
    std::ostringstream o;
    o << prefix(op) << what << " = " << v << " must be in [" << lo << ", " << hi << "]";
    return invalid_argument(o.str());
}

Status check_ksize(const char *op, const char *what, int kw, int kh) {
    if (kw >= 1 && kh >= 1 && kw <= kMaxKernelSize && kh <= kMaxKernelSize) return {};
    std::ostringstream o;
    o << prefix(op) << what << " " << kw << "x" << kh << " must be in [1, " << kMaxKernelSize << "] per side";
    return invalid_argument(o.str());
}

// One overload per enum; `last` is its last value.
#define HK_CHECK_ENUM(Type, last)                                       \
    Status check_enum(const char *op, const char *arg, Type v) {        \
        return check_enum_range(op, arg, v, Type::last, #Type);         \
    }
HK_CHECK_ENUM(Border, reflect101)
HK_CHECK_ENUM(Padding, explicit_pads)
HK_CHECK_ENUM(ChannelMode, sum)
HK_CHECK_ENUM(LowRank, off)
HK_CHECK_ENUM(FilterPath, fft)
HK_CHECK_ENUM(Stencil, scharr)
HK_CHECK_ENUM(GaborResponse, magnitude)
HK_CHECK_ENUM(PoolKind, average)
HK_CHECK_ENUM(Activation, gelu_tanh)
HK_CHECK_ENUM(Fusion, unfused)
HK_CHECK_ENUM(Device, automatic)
#undef HK_CHECK_ENUM

Status check_filter_enums(const char *op, Border border, Padding padding, ChannelMode channels) {
    if (Status s = check_enum(op, "border", border); !s.ok()) return s;
    if (padding != Padding::same && padding != Padding::valid)
        return invalid_argument(prefix(op) + "padding must be Padding::same or Padding::valid (got " +
                                std::to_string(int(padding)) + ")");
    return check_enum(op, "channels", channels);
}

Status check_activation(const char *op, const ActivationParams &a) {
    if (Status s = check_enum(op, "activation kind", a.kind); !s.ok()) return s;
    if (!std::isfinite(a.alpha)) return invalid_argument(prefix(op) + "activation alpha must be a finite number");
    return {};
}

Status check_not_null(const char *op, const char *what, const void *p) {
    if (p != nullptr) return {};
    return invalid_argument(prefix(op) + what + " is null");
}

Status check_finite(const char *op, const char *what, const float *v, int n) {
    for (int i = 0; i < n; i++)
        if (!std::isfinite(v[i]))
            return invalid_argument(prefix(op) + what + "[" + std::to_string(i) + "] is not a finite number");
    return {};
}

Status resolve_anchor(const char *op, int anchor_x, int anchor_y, int kw, int kh, int *ax, int *ay) {
    *ax = anchor_x == -1 ? kw / 2 : anchor_x;
    *ay = anchor_y == -1 ? kh / 2 : anchor_y;
    if (*ax >= 0 && *ax < kw && *ay >= 0 && *ay < kh) return {};
    std::ostringstream o;
    o << prefix(op) << "anchor (" << anchor_x << ", " << anchor_y << ") must be -1 or inside the " << kw << "x"
      << kh << " kernel";
    return invalid_argument(o.str());
}

Status resolve_device(const char *op, Device requested, Device *resolved) {
    if (Status s = check_enum(op, "device", requested); !s.ok()) return s;
    if (Status s = check_device(requested); !s.ok()) return s;
    *resolved = resolve(requested);
    return {};
}

Status check_filter_shapes(const char *op, const Shape &in, const Shape &out) {
    if (Status s = check_shape("input", in); !s.ok()) return s;
    if (out.h >= 1 && out.w >= 1) return {};
    std::ostringstream o;
    o << prefix(op) << "VALID padding leaves no output: input " << shape_str(in) << " is smaller than the kernel";
    return {StatusCode::shape_mismatch, o.str()};
}

Status check_conv_weights(const char *op, const FilterView &w) {
    if (Status s = check_range(op, "weights kh", w.kh, 1, kMaxKernelSize); !s.ok()) return s;
    if (Status s = check_range(op, "weights kw", w.kw, 1, kMaxKernelSize); !s.ok()) return s;
    if (Status s = check_range(op, "weights in_channels", w.in_channels, 1, kMaxChannels); !s.ok()) return s;
    if (Status s = check_range(op, "weights out_channels", w.out_channels, 1, kMaxChannels); !s.ok()) return s;
    // Counted as packed: up to 16x the HWIO size for a layer with one output channel.
    if (int64_t(w.kh) * w.kw * w.in_channels * packed_conv_row_floats(w.out_channels) > (int64_t(1) << 29))
        return {StatusCode::unsupported, prefix(op) + "weights of more than 2 GiB (as packed: rows of out_channels "
                                                      "padded to a multiple of 16 floats)"};
    return {};
}

}  // namespace hk::detail

// Separable filtering: sep_filter2d, and the low-rank path of filter2d and gabor (a kernel
// factored into a few separable passes).
#include <algorithm>
#include <vector>

#include "hk_kernel_table.h"  // generated: detail::kernels::<kernel>
#include "ops.h"
#include "validate.h"

namespace hk {

namespace {

// A tap of the separable pipeline costs about this many taps of the register-blocked direct
// filter (measured with the bench: Gabor k = 31, rank 2 = 124 taps in 19 ms vs 961 direct taps
// in 38 ms, 1080p, 2-core AVX2). Until the separable schedules catch up, rank r pays off when
// r (kw + kh) times this is below kw kh.
constexpr int kSeparableTapCost = 4;

}  // namespace

template <typename T>
void detail::plan_separable_passes(const SeparablePasses &k, Border border, Padding padding, ChannelMode channels,
                                   const ActivationParams &act, bool own, Planned *plan) {
    const int kw = k.kw, kh = k.kh, terms = k.terms, ax = k.ax, ay = k.ay;
    halide_buffer_t *hrow = plan->add_param(k.row, size_t(kw) * terms, own, {{kw, 1}, {terms, kw}});
    halide_buffer_t *hcol = plan->add_param(k.col, size_t(kh) * terms, own, {{kh, 1}, {terms, kh}});
    if (padding == Padding::valid) plan->origin_x = ax, plan->origin_y = ay;
    auto fn = pick<T>(kernels::separable, kernels::separable_u8, plan->device);
    const bool sum = channels == ChannelMode::sum;
    plan->invoke = [=](void *uc, halide_buffer_t *in, halide_buffer_t *out) {
        return fn(uc, in, hrow, hcol, ax, ay, int(border), sum, int(act.kind), act.alpha, out);
    };
}

detail::LowRankKernel detail::worthwhile_low_rank(const std::vector<double> &k, int kw, int kh) {
    if (std::max(kw, kh) > kLowRankMaxSide || kw * kh < 9) return {};
    LowRankKernel lr = factor_kernel(k, kw, kh, kLowRankTolerance);
    const bool cheaper = lr.rank * (kw + kh) * kSeparableTapCost < kw * kh;
    if (!cheaper || lr.residual_l1 > kLowRankTolerance * lr.kernel_l1) return {};
    return lr;
}

template <typename T>
Status detail::plan_layer(const Shape &in, const SeparableParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    if (p.kernel_x == nullptr || p.kernel_y == nullptr)
        return invalid_argument("sep_filter2d: kernel_x and kernel_y must not be null");
    if (Status s = check_ksize(op, "ksize", p.kw, p.kh); !s.ok()) return s;
    if (Status s = check_finite(op, "kernel_x", p.kernel_x, p.kw); !s.ok()) return s;
    if (Status s = check_finite(op, "kernel_y", p.kernel_y, p.kh); !s.ok()) return s;
    int ax = 0, ay = 0;
    if (Status s = resolve_anchor(op, p.anchor_x, p.anchor_y, p.kw, p.kh, &ax, &ay); !s.ok()) return s;
    if (Status s = check_activation(op, p.activation); !s.ok()) return s;
    if (Status s = check_filter_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    plan->out = filter_output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan_separable_passes<T>({p.kernel_x, p.kw, p.kernel_y, p.kh, 1, ax, ay}, p.border, p.padding, p.channels,
                             p.activation, /*own=*/false, plan);
    return {};
}

template void detail::plan_separable_passes<float>(const SeparablePasses &, Border, Padding, ChannelMode,
                                                   const ActivationParams &, bool, Planned *);
template void detail::plan_separable_passes<uint8_t>(const SeparablePasses &, Border, Padding, ChannelMode,
                                                     const ActivationParams &, bool, Planned *);
template Status detail::plan_layer<float>(const Shape &, const SeparableParams &, Device, Planned *);
template Status detail::plan_layer<uint8_t>(const Shape &, const SeparableParams &, Device, Planned *);

Status kernel_rank(const float *kernel, int kw, int kh, int *rank) {
    const char *op = "kernel_rank";
    if (kernel == nullptr || rank == nullptr) return detail::invalid_argument("kernel_rank: kernel and rank must not be null");
    if (Status s = detail::check_range(op, "kw", kw, 1, kLowRankMaxSide); !s.ok()) return s;
    if (Status s = detail::check_range(op, "kh", kh, 1, kLowRankMaxSide); !s.ok()) return s;
    if (Status s = detail::check_finite(op, "kernel", kernel, kw * kh); !s.ok()) return s;
    return detail::guarded([&]() -> Status {
        *rank = detail::factor_kernel(std::vector<double>(kernel, kernel + kw * kh), kw, kh, kLowRankTolerance).rank;
        return {};
    });
}

Status sep_filter2d(const ConstTensor &in, const Tensor &out, const SeparableParams &p, Device d) {
    return detail::run_op(in, out, p, d);
}
Status sep_filter2d(const ConstTensorU8 &in, const Tensor &out, const SeparableParams &p, Device d) {
    return detail::run_op(in, out, p, d);
}

}  // namespace hk

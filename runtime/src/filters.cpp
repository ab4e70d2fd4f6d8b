// The image filters as plans (see ops.h): validation, output shape, device, and the call into
// the generated pipeline; and their one-shot entry points. sep_filter2d and the low-rank path
// are in separable.cpp, directional_derivative in derivative.cpp.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gabor_math.h"
#include "hk/filters.h"
#include "hk_kernel_table.h"  // generated: detail::kernels::<kernel>
#include "ops.h"
#include "validate.h"

namespace hk {

namespace {

int odd_size(int k) { return 2 * (k / 2) + 1; }  // getGaborKernel's rounding

constexpr int kMaxBankFilters = 1024;

Shape filtered_shape(const Shape &in, int kw, int kh, Padding padding, ChannelMode channels) {
    // An input shape check_shape rejects comes back as is, for check_filter_shapes to name it:
    // the arithmetic below is only defined for sane extents (the fuzzer gave h = INT64_MIN).
    if (!detail::check_shape("input", in).ok()) return in;
    const int64_t c = channels == ChannelMode::sum ? 1 : in.c;
    if (padding == Padding::same) return {in.n, in.h, in.w, c};
    return {in.n, in.h - kh + 1, in.w - kw + 1, c};
}

// Runs a kernel's low-rank factorization instead of the direct filter when that pays off;
// false when it does not (the caller plans the direct filter).
template <typename T>
bool planned_low_rank(const std::vector<double> &kernel, int kw, int kh, int ax, int ay, Border border,
                      Padding padding, ChannelMode channels, const ActivationParams &act, detail::Planned *plan) {
    const detail::LowRankKernel lr = detail::worthwhile_low_rank(kernel, kw, kh);
    if (lr.rank == 0) return false;
    detail::plan_separable_passes<T>({lr.row.data(), kw, lr.col.data(), kh, lr.rank, ax, ay}, border, padding,
                                     channels, act, /*own=*/true, plan);
    plan->method = "low_rank";
    return true;
}

// The FFT path's cost model, per CPU variant: time per 128 x 128 tile pair (two 96 x 96 output
// blocks of one channel) against time per direct tap and output pixel, both measured with
// hk_bench on 2 threads (only their ratio matters), and the smallest output (width x height x
// channels x batch) that considers the FFT at all: below it partial tiles, the kernel's spectrum
// and too few bands for the threads outweigh the per-tile model.
struct FftCost {
    double ns_per_tile_pair, direct_ns_per_tap;
    double min_elements;
};

// avx512_* (Xeon, 2026-12-02, before the FFT's transposes in registers): Gabor k15 and k31 at
// 1080p direct 7.1 and 27.3 ms, forced FFT 10.6 ms for either (crossover near 19 x 19). The size
// rule from Zen 4 (avx512_skylake on 256-bit FMA units, 2026-12-03, after the transposes), k31:
// 192x192x3 FFT 0.91-1.09 ms against direct 2.0-3.4, 256x256x3 2.3-2.7 against 3.4-3.5,
// 256x256x1 1.1-1.2 against 1.2-1.4 (even); k15 1080p direct 8.7-9.0 against FFT 9.3-11.0, k31
// 1080p FFT 10.0-10.5 against 35-36 (83 us per tile pair, 0.018 ns per tap: its crossover near
// 16 x 16, so the Xeon's taps only cost Zen 4 on k17-k19). On the Xeon, 256x256x3 k31 had
// measured FFT 3.29 against direct 2.91 before the transposes, which made the AVX2 FFT ~25% faster.
constexpr FftCost kFftCostAvx512{88000, 0.014, 320.0 * 320.0};
// avx2 (Zen 3, 2026-12-03): k31 1080p FFT 11-13 ms over 120 tile pairs, direct 38-44 ms; k15
// 1080p even (direct 11.5-13.5, FFT 11.9-14.5); k31 256x256x3 FFT 2.5-2.8 against direct
// 4.4-4.6, but 256x256x1 FFT 2.00 against direct 1.50 (crossover near 15 x 15).
constexpr FftCost kFftCostAvx2{100000, 0.0206, 384.0 * 384.0};
// sse41 (the same machine, capped): k31 1080p FFT 21-22 ms, direct 87-93; k31 160x160x1 FFT 1.13
// against direct 1.55, 128x128x1 1.19 against 0.96.
constexpr FftCost kFftCostSse41{179000, 0.0452, 160.0 * 160.0};

const FftCost &fft_cost() {
    static const FftCost &cost = [] () -> const FftCost & {
        const std::string v = cpu_variant();
        if (v == "avx2") return kFftCostAvx2;
        if (v == "sse41") return kFftCostSse41;
        return kFftCostAvx512;  // the AVX-512 variants (and an unknown one)
    }();
    return cost;
}

constexpr int kFftBlock = kFftSize - kFftMaxSide + 1;  // generators/fft_filter.cpp builds with these

bool fft_pays(const Shape &out, int kw, int kh, Device device) {
    if (device != Device::cpu || kw > kFftMaxSide || kh > kFftMaxSide) return false;
    const FftCost &cost = fft_cost();
    const double pixels = double(out.w) * double(out.h);
    if (pixels * double(out.c) * double(out.n) < cost.min_elements) return false;
    const double pairs = std::ceil(double(out.w) / (2 * kFftBlock)) * std::ceil(double(out.h) / kFftBlock);
    return pairs * cost.ns_per_tile_pair < pixels * double(kw) * double(kh) * cost.direct_ns_per_tap;
}

// Checks FilterPath against the rest of the call; sets *use_fft.
Status resolve_path(const char *op, FilterPath path, int kw, int kh, const ActivationParams &act, const Shape &out,
                    Device device, bool *use_fft) {
    if (Status s = detail::check_enum(op, "path", path); !s.ok()) return s;
    if (path == FilterPath::fft) {
        if (kw > kFftMaxSide || kh > kFftMaxSide)
            return detail::invalid_argument(std::string(op) + ": path fft takes kernels up to " +
                                            std::to_string(kFftMaxSide) + " x " + std::to_string(kFftMaxSide) +
                                            ", got " + std::to_string(kw) + " x " + std::to_string(kh) +
                                            " (use path direct or automatic)");
        if (device != Device::cpu)
            return detail::invalid_argument(std::string(op) + ": path fft runs on the CPU only, not on " +
                                            to_string(device) + " (use path direct or automatic)");
        if (act.kind != Activation::none)
            return detail::invalid_argument(std::string(op) +
                                            ": path fft does not fuse an activation (use path direct, or the "
                                            "activation as a layer of its own)");
    }
    *use_fft = path == FilterPath::fft ||
               (path == FilterPath::automatic && act.kind == Activation::none && fft_pays(out, kw, kh, device));
    return {};
}

// The FFT path (generators/fft_filter.cpp) on a row-major kw x kh kernel anchored at (ax, ay).
template <typename T>
void plan_fft(const std::vector<float> &kernel, int kw, int kh, int ax, int ay, Border border, ChannelMode channels,
              detail::Planned *plan) {
    halide_buffer_t *k = plan->add_param(kernel.data(), kernel.size(), /*own=*/true, {{kw, 1}, {kh, kw}});
    auto fn = detail::pick<T>(detail::kernels::fft_filter, detail::kernels::fft_filter_u8, plan->device);
    const bool sum = channels == ChannelMode::sum;
    plan->invoke = [=, b = int(border)](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, k, ax, ay, b, sum, o);
    };
    plan->method = "fft";
}

}  // namespace

Shape detail::filter_output_shape(const Shape &in, const GaborParams &p) {
    return filtered_shape(in, odd_size(p.ksize_w), odd_size(p.ksize_h), p.padding, p.channels);
}
Shape detail::filter_output_shape(const Shape &in, const BoxFilterParams &p) {
    return filtered_shape(in, p.ksize_w, p.ksize_h, p.padding, p.channels);
}
Shape detail::filter_output_shape(const Shape &in, const Filter2DParams &p) {
    return filtered_shape(in, p.kw, p.kh, p.padding, p.channels);
}
Shape detail::filter_output_shape(const Shape &in, const DerivativeParams &p) {
    return filtered_shape(in, 3, 3, p.padding, p.channels);
}
Shape detail::filter_output_shape(const Shape &in, const SeparableParams &p) {
    return filtered_shape(in, p.kw, p.kh, p.padding, p.channels);
}
Shape detail::filter_output_shape(const Shape &in, const GaborBankParams &p) {
    Shape s = filtered_shape(in, odd_size(p.ksize_w), odd_size(p.ksize_h), p.padding, ChannelMode::per_channel);
    s.c = in.c * gabor_bank_size(p);
    return s;
}

int gabor_bank_size(const GaborBankParams &p) { return int(p.thetas.size() * p.lambdas.size() * p.psis.size()); }

template <typename T>
Status detail::plan_layer(const Shape &in, const GaborParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    if (Status s = check_ksize(op, "ksize", p.ksize_w, p.ksize_h); !s.ok()) return s;
    GaborConstants g;
    if (Status s = gabor_constants(p, &g); !s.ok()) return s;
    if (Status s = check_filter_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    if (Status s = check_enum(op, "low_rank", p.low_rank); !s.ok()) return s;
    plan->out = filter_output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    bool use_fft = false;
    if (Status s = resolve_path(op, p.path, odd_size(p.ksize_w), odd_size(p.ksize_h), {}, plan->out, plan->device,
                                &use_fft);
        !s.ok())
        return s;
    if (p.padding == Padding::valid) plan->origin_x = p.ksize_w / 2, plan->origin_y = p.ksize_h / 2;
    const bool forced_fft = use_fft && p.path == FilterPath::fft;  // before low rank
    if (!forced_fft && p.low_rank == LowRank::automatic &&
        std::max(odd_size(p.ksize_w), odd_size(p.ksize_h)) <= kLowRankMaxSide) {
        int kw = 0, kh = 0;
        const std::vector<double> kernel = gabor_kernel_double(p, &kw, &kh);  // sets kw, kh first
        if (planned_low_rank<T>(kernel, kw, kh, kw / 2, kh / 2, p.border, p.padding, p.channels,
                                {Activation::none, 0}, plan))
            return {};
    }
    if (use_fft) {
        int kw = 0, kh = 0;
        const std::vector<double> k = gabor_kernel_double(p, &kw, &kh);
        plan_fft<T>(std::vector<float>(k.begin(), k.end()), kw, kh, kw / 2, kh / 2, p.border, p.channels, plan);
        return {};
    }
    auto fn = pick<T>(kernels::gabor, kernels::gabor_u8, plan->device);
    const int kw = p.ksize_w, kh = p.ksize_h, border = int(p.border);
    const bool sum = p.channels == ChannelMode::sum;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kw, kh, g.cos_theta, g.sin_theta, g.ex, g.ey, g.cscale, g.psi, border, sum, o);
    };
    return {};
}

template <typename T>
Status detail::plan_layer(const Shape &in, const GaborBankParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    if (Status s = check_ksize(op, "ksize", p.ksize_w, p.ksize_h); !s.ok()) return s;
    const size_t filters = p.thetas.size() * p.lambdas.size() * p.psis.size();
    if (filters < 1 || filters > size_t(kMaxBankFilters))
        return invalid_argument("gabor_bank: thetas x lambdas x psis = " + std::to_string(filters) +
                                " filters; must be in [1, " + std::to_string(kMaxBankFilters) + "]");
    if (!p.sigmas.empty() && p.sigmas.size() != p.lambdas.size())
        return invalid_argument("gabor_bank: sigmas must be empty or have one value per lambda (" +
                                std::to_string(p.lambdas.size()) + "), got " + std::to_string(p.sigmas.size()));
    if (Status s = check_enum(op, "response", p.response); !s.ok()) return s;
    if (Status s = check_filter_enums(op, p.border, p.padding, ChannelMode::per_channel); !s.ok()) return s;
    std::vector<float> table;
    if (Status s = gabor_bank_table(p, &table); !s.ok()) return s;
    plan->out = filter_output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (plan->out.c > (int64_t(1) << 30))
        return invalid_argument("gabor_bank: " + std::to_string(in.c) + " input channels x " + std::to_string(filters) +
                                " filters = " + std::to_string(plan->out.c) + " output channels, more than 2^30");
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    const int F = int(filters);
    halide_buffer_t *ht = plan->add_param(table.data(), table.size(), /*own=*/true, {{6, 1}, {F, 6}});
    if (p.padding == Padding::valid) plan->origin_x = p.ksize_w / 2, plan->origin_y = p.ksize_h / 2;
    const int kw = p.ksize_w, kh = p.ksize_h, border = int(p.border);
    const bool magnitude = p.response == GaborResponse::magnitude;
    auto fn = magnitude ? pick<T>(kernels::gabor_bank_magnitude, kernels::gabor_bank_magnitude_u8, plan->device)
                        : pick<T>(kernels::gabor_bank, kernels::gabor_bank_u8, plan->device);
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) { return fn(uc, i, ht, kw, kh, border, o); };
    return {};
}

template <typename T>
Status detail::plan_kernel_filter(const Shape &in, const Filter2DParams &p, Device device, bool own, Planned *plan,
                                  const char *op) {
    if (p.kernel == nullptr) return invalid_argument(std::string(op) + ": kernel is null");
    if (Status s = check_ksize(op, "ksize", p.kw, p.kh); !s.ok()) return s;
    int ax = 0, ay = 0;
    if (Status s = resolve_anchor(op, p.anchor_x, p.anchor_y, p.kw, p.kh, &ax, &ay); !s.ok()) return s;
    if (Status s = check_finite(op, "kernel", p.kernel, p.kw * p.kh); !s.ok()) return s;
    if (Status s = check_activation(op, p.activation); !s.ok()) return s;
    if (Status s = check_filter_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    if (Status s = check_enum(op, "low_rank", p.low_rank); !s.ok()) return s;
    plan->out = filter_output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    bool use_fft = false;
    if (Status s = resolve_path(op, p.path, p.kw, p.kh, p.activation, plan->out, plan->device, &use_fft); !s.ok())
        return s;
    if (p.padding == Padding::valid) plan->origin_x = ax, plan->origin_y = ay;
    const bool forced_fft = use_fft && p.path == FilterPath::fft;
    if (!forced_fft && p.low_rank == LowRank::automatic && std::max(p.kw, p.kh) <= kLowRankMaxSide &&
        planned_low_rank<T>(std::vector<double>(p.kernel, p.kernel + p.kw * p.kh), p.kw, p.kh, ax, ay, p.border,
                            p.padding, p.channels, p.activation, plan))
        return {};
    if (use_fft) {
        plan_fft<T>(std::vector<float>(p.kernel, p.kernel + p.kw * p.kh), p.kw, p.kh, ax, ay, p.border, p.channels,
                    plan);
        return {};
    }
    halide_buffer_t *kernel = plan->add_param(p.kernel, size_t(p.kw) * p.kh, own, {{p.kw, 1}, {p.kh, p.kw}});
    auto fn = pick<T>(kernels::filter2d, kernels::filter2d_u8, plan->device);
    const int border = int(p.border);
    const bool sum = p.channels == ChannelMode::sum;
    const ActivationParams act = p.activation;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kernel, ax, ay, border, sum, int(act.kind), act.alpha, o);
    };
    return {};
}

template <typename T>
Status detail::plan_layer(const Shape &in, const Filter2DParams &p, Device device, Planned *plan) {
    return plan_kernel_filter<T>(in, p, device, /*own=*/false, plan, op_name(p));
}

template <typename T>
Status detail::plan_layer(const Shape &in, const BoxFilterParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    if (Status s = check_ksize(op, "ksize", p.ksize_w, p.ksize_h); !s.ok()) return s;
    if (Status s = check_filter_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    plan->out = filter_output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    if (p.padding == Padding::valid) plan->origin_x = p.ksize_w / 2, plan->origin_y = p.ksize_h / 2;
    auto fn = pick<T>(kernels::box_filter, kernels::box_filter_u8, plan->device);
    const int kw = p.ksize_w, kh = p.ksize_h, border = int(p.border);
    const bool normalize = p.normalize, sum = p.channels == ChannelMode::sum;  // sum: O(1) per pixel too
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kw, kh, normalize, border, sum, o);
    };
    return {};
}

// Each filter takes float32 and uint8 inputs.
#define HK_INSTANTIATE_FILTER_PLANS(T)                                                                         \
    template Status detail::plan_layer<T>(const Shape &, const GaborParams &, Device, Planned *);             \
    template Status detail::plan_layer<T>(const Shape &, const GaborBankParams &, Device, Planned *);         \
    template Status detail::plan_layer<T>(const Shape &, const BoxFilterParams &, Device, Planned *);         \
    template Status detail::plan_layer<T>(const Shape &, const Filter2DParams &, Device, Planned *);          \
    template Status detail::plan_kernel_filter<T>(const Shape &, const Filter2DParams &, Device, bool, Planned *, \
                                                  const char *);
HK_INSTANTIATE_FILTER_PLANS(float)
HK_INSTANTIATE_FILTER_PLANS(uint8_t)
#undef HK_INSTANTIATE_FILTER_PLANS

namespace {
template <typename Params>
const char *method_of(const Shape &in, const Params &p, Device device) {
    const char *method = "invalid";
    // A plan that fails leaves the method "invalid".
    (void)detail::guarded([&]() -> Status {
        detail::init_runtime();
        detail::Planned plan;
        if (Status s = detail::check_shape("input", in); !s.ok()) return s;
        if (Status s = detail::plan_layer<float>(in, p, device, &plan); !s.ok()) return s;
        method = plan.method;
        return {};
    });
    return method;
}
}  // namespace

const char *filter_method(const Shape &in, const GaborParams &p, Device device) { return method_of(in, p, device); }
const char *filter_method(const Shape &in, const Filter2DParams &p, Device device) { return method_of(in, p, device); }

Status gabor(const ConstTensor &in, const Tensor &out, const GaborParams &p, Device d) { return detail::run_op(in, out, p, d); }
Status gabor(const ConstTensorU8 &in, const Tensor &out, const GaborParams &p, Device d) { return detail::run_op(in, out, p, d); }
Status gabor_bank(const ConstTensor &in, const Tensor &out, const GaborBankParams &p, Device d) { return detail::run_op(in, out, p, d); }
Status gabor_bank(const ConstTensorU8 &in, const Tensor &out, const GaborBankParams &p, Device d) { return detail::run_op(in, out, p, d); }
Status box_filter(const ConstTensor &in, const Tensor &out, const BoxFilterParams &p, Device d) { return detail::run_op(in, out, p, d); }
Status box_filter(const ConstTensorU8 &in, const Tensor &out, const BoxFilterParams &p, Device d) { return detail::run_op(in, out, p, d); }
Status filter2d(const ConstTensor &in, const Tensor &out, const Filter2DParams &p, Device d) { return detail::run_op(in, out, p, d); }
Status filter2d(const ConstTensorU8 &in, const Tensor &out, const Filter2DParams &p, Device d) { return detail::run_op(in, out, p, d); }

}  // namespace hk

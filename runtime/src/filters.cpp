// The filters: validation, device choice, and the call into the generated pipelines (one
// library per target class and input type, see kernels.h).
#include <cmath>
#include <sstream>
#include <vector>

#include "hk/filters.h"
#include "internal.h"
#include "kernels.h"
#include "low_rank.h"

namespace hk {

namespace {

using detail::HalideTensor;

int odd_size(int k) { return 2 * (k / 2) + 1; }  // getGaborKernel's rounding

Shape filtered_shape(const Shape &in, int kw, int kh, Padding padding, ChannelMode channels) {
    const int64_t c = channels == ChannelMode::sum ? 1 : in.c;
    if (padding == Padding::same) return {in.n, in.h, in.w, c};
    return {in.n, in.h - kh + 1, in.w - kw + 1, c};
}

Status invalid(const std::string &msg) { return {StatusCode::invalid_argument, msg}; }

Status check_ksize(const char *op, int kw, int kh) {
    for (int k : {kw, kh}) {
        if (k < 1 || k > kMaxKernelSize) {
            std::ostringstream o;
            o << op << ": ksize " << kw << "x" << kh << " must be in [1, " << kMaxKernelSize
              << "] per side";
            return invalid(o.str());
        }
    }
    return {};
}

Status check_enums(const char *op, Border border, Padding padding, ChannelMode channels) {
    if (int(border) < 0 || int(border) > int(Border::reflect101))
        return invalid(std::string(op) + ": border = " + std::to_string(int(border)) + " is not a Border");
    if (padding != Padding::same && padding != Padding::valid)
        return invalid(std::string(op) + ": padding must be Padding::same or Padding::valid (got " +
                       std::to_string(int(padding)) + ")");
    if (channels != ChannelMode::per_channel && channels != ChannelMode::sum)
        return invalid(std::string(op) + ": channels = " + std::to_string(int(channels)) + " is not a ChannelMode");
    return {};
}

Status check_activation(const char *op, const ActivationParams &a) {
    if (int(a.kind) < 0 || int(a.kind) > int(Activation::gelu_tanh))
        return invalid(std::string(op) + ": activation kind " + std::to_string(int(a.kind)) +
                       " is not an Activation");
    if (!std::isfinite(a.alpha)) return invalid(std::string(op) + ": activation alpha must be finite");
    return {};
}

// Filters' shape checks: a valid input shape, and VALID must leave an output.
Status check_filter_shapes(const char *op, const Shape &in, const Shape &expected_out) {
    if (Status s = detail::check_shape("input", in); !s.ok()) return s;
    if (expected_out.h < 1 || expected_out.w < 1) {
        std::ostringstream o;
        o << op << ": VALID padding leaves no output: input " << detail::shape_str(in)
          << " is smaller than the kernel";
        return {StatusCode::shape_mismatch, o.str()};
    }
    return {};
}

// The device a plan runs on: checked, then `automatic` resolved.
Status plan_device(const char *op, Device device, detail::Planned *plan) {
    if (int(device) < 0 || int(device) > int(Device::automatic))
        return invalid(std::string(op) + ": device = " + std::to_string(int(device)) + " is not a Device");
    if (Status s = check_device(device); !s.ok()) return s;
    plan->device = resolve(device);
    return {};
}

bool finite_all(std::initializer_list<double> v) {
    for (double d : v)
        if (!std::isfinite(d)) return false;
    return true;
}

// The pipeline of `variants` for input type T on device d.
template <typename T, typename F32, typename U8>
auto pick(const F32 &f32, const U8 &u8, Device d) {
    if constexpr (sizeof(T) == 1) return u8.get(d);
    else return f32.get(d);
}

// ---- separable passes and the low-rank path ------------------------------------------------

// Plans `terms` separable passes: 2D kernel K(j, i) = sum_r col[j + kh r] row[i + kw r].
template <typename T>
void plan_separable(const float *row, int kw, const float *col, int kh, int terms, int ax, int ay,
                    Border border, Padding padding, ChannelMode channels, const ActivationParams &act,
                    bool own, detail::Planned *plan) {
    halide_buffer_t *hrow = plan->add_param(row, size_t(kw) * terms, own, {{kw, 1}, {terms, kw}});
    halide_buffer_t *hcol = plan->add_param(col, size_t(kh) * terms, own, {{kh, 1}, {terms, kh}});
    if (padding == Padding::valid) plan->origin_x = ax, plan->origin_y = ay;
    auto fn = pick<T>(detail::kSeparable, detail::kSeparableU8, plan->device);
    const bool sum = channels == ChannelMode::sum;
    plan->invoke = [=](void *uc, halide_buffer_t *in, halide_buffer_t *out) {
        return fn(uc, in, hrow, hcol, ax, ay, int(border), sum, int(act.kind), act.alpha, out);
    };
}

// A tap of the separable pipeline costs about this many taps of the register-blocked direct
// filter (measured with the bench: Gabor k = 31, rank 2 = 124 taps in 19 ms vs 961 direct taps
// in 38 ms, 1080p, 2-core AVX2). Until the separable schedules catch up, rank r pays off when
// r (kw + kh) times this is below kw kh.
constexpr int kSeparableTapCost = 4;

// A factorization worth running instead of the direct kw x kh filter, or rank 0.
detail::LowRankKernel plan_low_rank(const std::vector<double> &k, int kw, int kh) {
    if (std::max(kw, kh) > kLowRankMaxSide || kw * kh < 9) return {};
    detail::LowRankKernel lr = detail::factor_kernel(k, kw, kh, kLowRankTolerance);
    const bool cheaper = lr.rank * (kw + kh) * kSeparableTapCost < kw * kh;
    if (!cheaper || lr.residual_l1 > kLowRankTolerance * lr.kernel_l1) return {};
    return lr;
}

// getGaborKernel in double, filter2D's orientation: K(hy - y, hx - x) = g(x, y).
std::vector<double> gabor_kernel_double(const GaborParams &p, int *kw, int *kh) {
    const int hx = p.ksize_w / 2, hy = p.ksize_h / 2;
    *kw = 2 * hx + 1;
    *kh = 2 * hy + 1;
    std::vector<double> k(size_t(*kw) * *kh);
    const double sigma_y = p.sigma / p.gamma, ex = -0.5 / (p.sigma * p.sigma), ey = -0.5 / (sigma_y * sigma_y);
    const double c = std::cos(p.theta), s = std::sin(p.theta), cscale = 2 * M_PI / p.lambda;
    for (int y = -hy; y <= hy; y++)
        for (int x = -hx; x <= hx; x++) {
            const double xr = x * c + y * s, yr = -x * s + y * c;
            k[size_t(hy - y) * *kw + (hx - x)] = std::exp(ex * xr * xr + ey * yr * yr) * std::cos(cscale * xr + p.psi);
        }
    return k;
}

}  // namespace

// ---- plans (validated ops on shapes; shared by the one-shot calls and Sequential) ------------

template <typename T>
Status detail::plan_gabor(const Shape &in, const GaborParams &p, Device device, Planned *plan) {
    const char *op = "gabor";
    if (Status s = check_ksize(op, p.ksize_w, p.ksize_h); !s.ok()) return s;
    GaborConstants g;
    if (Status s = gabor_constants(p, &g); !s.ok()) return s;
    if (Status s = check_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    plan->out = output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = plan_device(op, device, plan); !s.ok()) return s;
    const int taps_w = 2 * (p.ksize_w / 2) + 1, taps_h = 2 * (p.ksize_h / 2) + 1;
    if (p.low_rank == LowRank::automatic && std::max(taps_w, taps_h) <= kLowRankMaxSide) {
        int kw = 0, kh = 0;
        const std::vector<double> kernel = gabor_kernel_double(p, &kw, &kh);  // sets kw, kh first
        const LowRankKernel lr = plan_low_rank(kernel, kw, kh);
        if (lr.rank > 0) {
            plan_separable<T>(lr.row.data(), kw, lr.col.data(), kh, lr.rank, kw / 2, kh / 2, p.border,
                              p.padding, p.channels, {Activation::none, 0}, /*own=*/true, plan);
            return {};
        }
    }
    if (p.padding == Padding::valid) plan->origin_x = p.ksize_w / 2, plan->origin_y = p.ksize_h / 2;
    auto fn = pick<T>(kGabor, kGaborU8, plan->device);
    const int kw = p.ksize_w, kh = p.ksize_h, border = int(p.border);
    const bool sum = p.channels == ChannelMode::sum;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kw, kh, g.cos_theta, g.sin_theta, g.ex, g.ey, g.cscale, g.psi, border, sum, o);
    };
    return {};
}

constexpr int kMaxBankFilters = 1024;

int gabor_bank_size(const GaborBankParams &p) {
    return int(p.thetas.size() * p.lambdas.size() * p.psis.size());
}

Shape output_shape(const Shape &in, const GaborBankParams &p) {
    const int kw = 2 * (p.ksize_w / 2) + 1, kh = 2 * (p.ksize_h / 2) + 1;
    Shape s = filtered_shape(in, kw, kh, p.padding, ChannelMode::per_channel);
    s.c = in.c * gabor_bank_size(p);
    return s;
}

template <typename T>
Status detail::plan_gabor_bank(const Shape &in, const GaborBankParams &p, Device device, Planned *plan) {
    const char *op = "gabor_bank";
    if (Status s = check_ksize(op, p.ksize_w, p.ksize_h); !s.ok()) return s;
    const size_t filters = p.thetas.size() * p.lambdas.size() * p.psis.size();
    if (filters < 1 || filters > size_t(kMaxBankFilters))
        return invalid("gabor_bank: thetas x lambdas x psis = " + std::to_string(filters) + " filters; must be in [1, " +
                       std::to_string(kMaxBankFilters) + "]");
    if (!p.sigmas.empty() && p.sigmas.size() != p.lambdas.size())
        return invalid("gabor_bank: sigmas must be empty or have one value per lambda (" +
                       std::to_string(p.lambdas.size()) + "), got " + std::to_string(p.sigmas.size()));
    if (int(p.response) < 0 || int(p.response) > int(GaborResponse::magnitude))
        return invalid("gabor_bank: response is not a GaborResponse");
    if (Status s = check_enums(op, p.border, p.padding, ChannelMode::per_channel); !s.ok()) return s;
    if (in.c * int64_t(filters) > (int64_t(1) << 30)) return invalid("gabor_bank: too many output channels");
    // The (6, F) table of getGaborKernel constants, in output-channel order.
    std::vector<float> table;
    const double imaginary_shift = p.response == GaborResponse::imaginary ? -M_PI / 2 : 0.0;
    for (size_t s = 0; s < p.lambdas.size(); s++)
        for (double theta : p.thetas)
            for (double psi : p.psis) {
                GaborParams g;
                g.ksize_w = p.ksize_w;
                g.ksize_h = p.ksize_h;
                g.lambda = p.lambdas[s];
                g.sigma = p.sigmas.empty() ? 0.56 * p.lambdas[s] : p.sigmas[s];
                g.theta = theta;
                g.gamma = p.gamma;
                g.psi = psi + imaginary_shift;
                GaborConstants c;
                if (Status st = gabor_constants(g, &c); !st.ok())
                    return {st.code(), "gabor_bank filter " + std::to_string(table.size() / 6) + ": " + st.message()};
                table.insert(table.end(), {c.cos_theta, c.sin_theta, c.ex, c.ey, c.cscale, c.psi});
            }
    plan->out = output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = plan_device(op, device, plan); !s.ok()) return s;
    const int F = int(filters);
    halide_buffer_t *ht = plan->add_param(table.data(), table.size(), /*own=*/true, {{6, 1}, {F, 6}});
    if (p.padding == Padding::valid) plan->origin_x = p.ksize_w / 2, plan->origin_y = p.ksize_h / 2;
    const int kw = p.ksize_w, kh = p.ksize_h, border = int(p.border);
    if (p.response == GaborResponse::magnitude) {
        auto fn = pick<T>(kGaborBankMagnitude, kGaborBankMagnitudeU8, plan->device);
        plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) { return fn(uc, i, ht, kw, kh, border, o); };
    } else {
        auto fn = pick<T>(kGaborBank, kGaborBankU8, plan->device);
        plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) { return fn(uc, i, ht, kw, kh, border, o); };
    }
    return {};
}

template <typename T>
Status detail::plan_filter2d(const Shape &in, const Filter2DParams &p, Device device, bool own, Planned *plan,
                             const char *op) {
    if (p.kernel == nullptr) return invalid(std::string(op) + ": kernel is null");
    if (Status s = check_ksize(op, p.kw, p.kh); !s.ok()) return s;
    const int ax = p.anchor_x == -1 ? p.kw / 2 : p.anchor_x, ay = p.anchor_y == -1 ? p.kh / 2 : p.anchor_y;
    if (ax < 0 || ax >= p.kw || ay < 0 || ay >= p.kh) {
        std::ostringstream o;
        o << op << ": anchor (" << p.anchor_x << ", " << p.anchor_y << ") must be -1 or inside the "
          << p.kw << "x" << p.kh << " kernel";
        return invalid(o.str());
    }
    for (int i = 0; i < p.kw * p.kh; i++)
        if (!std::isfinite(p.kernel[i]))
            return invalid(std::string(op) + ": kernel[" + std::to_string(i) + "] is not a finite number");
    if (Status s = check_activation(op, p.activation); !s.ok()) return s;
    if (Status s = check_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    plan->out = output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = plan_device(op, device, plan); !s.ok()) return s;
    if (p.low_rank == LowRank::automatic && std::max(p.kw, p.kh) <= kLowRankMaxSide) {
        const LowRankKernel lr = plan_low_rank(std::vector<double>(p.kernel, p.kernel + p.kw * p.kh), p.kw, p.kh);
        if (lr.rank > 0) {
            plan_separable<T>(lr.row.data(), p.kw, lr.col.data(), p.kh, lr.rank, ax, ay, p.border, p.padding,
                              p.channels, p.activation, /*own=*/true, plan);
            return {};
        }
    }
    if (p.padding == Padding::valid) plan->origin_x = ax, plan->origin_y = ay;
    halide_buffer_t *kernel = plan->add_param(p.kernel, size_t(p.kw) * p.kh, own, {{p.kw, 1}, {p.kh, p.kw}});
    auto fn = pick<T>(kFilter2D, kFilter2DU8, plan->device);
    const int border = int(p.border);
    const bool sum = p.channels == ChannelMode::sum;
    const ActivationParams act = p.activation;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kernel, ax, ay, border, sum, int(act.kind), act.alpha, o);
    };
    return {};
}

template <typename T>
Status detail::plan_box(const Shape &in, const BoxFilterParams &p, Device device, Planned *plan) {
    const char *op = "box_filter";
    if (Status s = check_ksize(op, p.ksize_w, p.ksize_h); !s.ok()) return s;
    if (Status s = check_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    if (p.channels == ChannelMode::sum) {
        // Summing channels: a kernel of ones (or of 1/k^2) through filter2d.
        const float v = p.normalize ? 1.0f / float(p.ksize_w * p.ksize_h) : 1.0f;
        const std::vector<float> ones(size_t(p.ksize_w) * p.ksize_h, v);
        Filter2DParams f;
        f.kernel = ones.data();
        f.kw = p.ksize_w;
        f.kh = p.ksize_h;
        f.border = p.border;
        f.padding = p.padding;
        f.channels = ChannelMode::sum;
        f.low_rank = LowRank::off;  // a box is rank 1, but its own sums beat two passes
        return plan_filter2d<T>(in, f, device, /*own=*/true, plan, op);
    }
    plan->out = output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = plan_device(op, device, plan); !s.ok()) return s;
    if (p.padding == Padding::valid) plan->origin_x = p.ksize_w / 2, plan->origin_y = p.ksize_h / 2;
    auto fn = pick<T>(kBoxFilter, kBoxFilterU8, plan->device);
    const int kw = p.ksize_w, kh = p.ksize_h, border = int(p.border);
    const bool normalize = p.normalize;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, kw, kh, normalize, border, o);
    };
    return {};
}

template <typename T>
Status detail::plan_separable_filter(const Shape &in, const SeparableParams &p, Device device, bool own,
                                     Planned *plan) {
    const char *op = "sep_filter2d";
    if (p.kernel_x == nullptr || p.kernel_y == nullptr) return invalid("sep_filter2d: kernel_x and kernel_y must not be null");
    if (Status s = check_ksize(op, p.kw, p.kh); !s.ok()) return s;
    for (int i = 0; i < p.kw; i++)
        if (!std::isfinite(p.kernel_x[i])) return invalid("sep_filter2d: kernel_x[" + std::to_string(i) + "] is not finite");
    for (int j = 0; j < p.kh; j++)
        if (!std::isfinite(p.kernel_y[j])) return invalid("sep_filter2d: kernel_y[" + std::to_string(j) + "] is not finite");
    const int ax = p.anchor_x == -1 ? p.kw / 2 : p.anchor_x, ay = p.anchor_y == -1 ? p.kh / 2 : p.anchor_y;
    if (ax < 0 || ax >= p.kw || ay < 0 || ay >= p.kh) return invalid("sep_filter2d: anchor must be -1 or inside the kernel");
    if (Status s = check_activation(op, p.activation); !s.ok()) return s;
    if (Status s = check_enums(op, p.border, p.padding, p.channels); !s.ok()) return s;
    plan->out = output_shape(in, p);
    if (Status s = check_filter_shapes(op, in, plan->out); !s.ok()) return s;
    if (Status s = plan_device(op, device, plan); !s.ok()) return s;
    plan_separable<T>(p.kernel_x, p.kw, p.kernel_y, p.kh, 1, ax, ay, p.border, p.padding, p.channels,
                      p.activation, own, plan);
    return {};
}

template <typename T>
Status detail::plan_derivative(const Shape &in, const DerivativeParams &p, Device device, Planned *plan) {
    float k[9];
    if (Status s = derivative_kernel(p, k); !s.ok()) return s;
    Filter2DParams f;
    f.kernel = k;
    f.kw = f.kh = 3;
    f.border = p.border;
    f.padding = p.padding;
    f.channels = p.channels;
    f.activation = p.activation;
    f.low_rank = LowRank::off;  // 3x3: nine taps are as cheap as any factorization
    return plan_filter2d<T>(in, f, device, /*own=*/true, plan, "directional_derivative");
}

template Status detail::plan_gabor<float>(const Shape &, const GaborParams &, Device, Planned *);
template Status detail::plan_gabor_bank<float>(const Shape &, const GaborBankParams &, Device, Planned *);
template Status detail::plan_box<float>(const Shape &, const BoxFilterParams &, Device, Planned *);
template Status detail::plan_filter2d<float>(const Shape &, const Filter2DParams &, Device, bool, Planned *, const char *);
template Status detail::plan_separable_filter<float>(const Shape &, const SeparableParams &, Device, bool, Planned *);
template Status detail::plan_derivative<float>(const Shape &, const DerivativeParams &, Device, Planned *);

namespace {

// One-shot calls: plan on the input's shape, check the tensors, run.
template <typename T, typename PlanFn>
Status run_filter(const char *op, const TensorView<const T> &in, const Tensor &out, PlanFn plan_fn) {
    detail::init_runtime();
    detail::Planned plan;
    if (Status s = plan_fn(&plan); !s.ok()) return s;
    if (Status s = detail::check_io(op, in, out, plan.out, plan.device); !s.ok()) return s;
    return detail::run_planned(op, plan, in, out);
}

}  // namespace

Status detail::gabor_constants(const GaborParams &p, GaborConstants *out) {
    if (!finite_all({p.sigma, p.theta, p.lambda, p.gamma, p.psi}))
        return invalid("gabor: sigma, theta, lambda, gamma and psi must be finite numbers");
    if (!(p.sigma > 0)) return invalid("gabor: sigma = " + std::to_string(p.sigma) + " must be > 0");
    if (!(p.lambda > 0)) return invalid("gabor: lambda = " + std::to_string(p.lambda) + " must be > 0");
    if (!(p.gamma > 0)) return invalid("gabor: gamma = " + std::to_string(p.gamma) + " must be > 0");
    // getGaborKernel's constants, in double as OpenCV computes them; the pipeline takes floats.
    const double sigma_y = p.sigma / p.gamma;
    GaborConstants g{float(std::cos(p.theta)), float(std::sin(p.theta)), float(-0.5 / (p.sigma * p.sigma)),
                     float(-0.5 / (sigma_y * sigma_y)), float(2 * M_PI / p.lambda), float(p.psi)};
    if (!finite_all({g.ex, g.ey, g.cscale, g.psi})) {
        std::ostringstream o;
        o << "gabor: sigma = " << p.sigma << ", gamma = " << p.gamma << ", lambda = " << p.lambda
          << ", psi = " << p.psi << " overflow float arithmetic (sigma, sigma/gamma and lambda must be "
          << "above ~1e-19, psi below ~3e38)";
        return invalid(o.str());
    }
    *out = g;
    return {};
}

Status derivative_kernel(const DerivativeParams &p, float kernel[9]) {
    if (!std::isfinite(p.theta)) return invalid("directional_derivative: theta must be a finite number");
    if (p.order != 1 && p.order != 2)
        return invalid("directional_derivative: order = " + std::to_string(p.order) + " must be 1 or 2");
    if (p.stencil == Stencil::scharr && p.order == 2)
        return invalid("directional_derivative: the Scharr stencil is first-order only (as in OpenCV)");
    if (int(p.stencil) < 0 || int(p.stencil) > int(Stencil::scharr))
        return invalid("directional_derivative: stencil = " + std::to_string(int(p.stencil)) + " is not a Stencil");
    // Separable stencils, index -1, 0, 1: derivative along one axis, smoothing along the other.
    double d1[3], d2[3] = {1, -2, 1}, smooth[3];
    switch (p.stencil) {
    case Stencil::central: d1[0] = -0.5, d1[1] = 0, d1[2] = 0.5, smooth[0] = 0, smooth[1] = 1, smooth[2] = 0; break;
    case Stencil::sobel: d1[0] = -1, d1[1] = 0, d1[2] = 1, smooth[0] = 1, smooth[1] = 2, smooth[2] = 1; break;
    case Stencil::scharr: d1[0] = -1, d1[1] = 0, d1[2] = 1, smooth[0] = 3, smooth[1] = 10, smooth[2] = 3; break;
    }
    const double c = std::cos(p.theta), s = std::sin(p.theta);
    for (int j = 0; j < 3; j++)      // row (y)
        for (int i = 0; i < 3; i++) {  // column (x)
            double v;
            if (p.order == 1) {
                v = c * d1[i] * smooth[j] + s * smooth[i] * d1[j];
            } else {
                // Sobel's mixed term is d1 x d1 (OpenCV's Sobel(1, 1)); central's is (d1/2-scaled) likewise.
                v = c * c * d2[i] * smooth[j] + 2 * c * s * d1[i] * d1[j] + s * s * smooth[i] * d2[j];
            }
            kernel[j * 3 + i] = float(v);
        }
    return {};
}

Shape output_shape(const Shape &in, const GaborParams &p) {
    return filtered_shape(in, odd_size(p.ksize_w), odd_size(p.ksize_h), p.padding, p.channels);
}
Shape output_shape(const Shape &in, const BoxFilterParams &p) {
    return filtered_shape(in, p.ksize_w, p.ksize_h, p.padding, p.channels);
}
Shape output_shape(const Shape &in, const Filter2DParams &p) {
    return filtered_shape(in, p.kw, p.kh, p.padding, p.channels);
}
Shape output_shape(const Shape &in, const DerivativeParams &p) {
    return filtered_shape(in, 3, 3, p.padding, p.channels);
}
Shape output_shape(const Shape &in, const SeparableParams &p) {
    return filtered_shape(in, p.kw, p.kh, p.padding, p.channels);
}

Status kernel_rank(const float *kernel, int kw, int kh, int *rank) {
    if (kernel == nullptr || rank == nullptr) return invalid("kernel_rank: kernel and rank must not be null");
    if (kw < 1 || kh < 1 || kw > kLowRankMaxSide || kh > kLowRankMaxSide)
        return invalid("kernel_rank: kernels up to " + std::to_string(kLowRankMaxSide) + " per side");
    for (int i = 0; i < kw * kh; i++)
        if (!std::isfinite(kernel[i])) return invalid("kernel_rank: kernel[" + std::to_string(i) + "] is not finite");
    return detail::guarded([&]() -> Status {
        *rank = detail::factor_kernel(std::vector<double>(kernel, kernel + kw * kh), kw, kh, kLowRankTolerance).rank;
        return {};
    });
}

Status gabor_kernel(const GaborParams &p, std::vector<float> *kernel, int *kw, int *kh) {
    if (kernel == nullptr || kw == nullptr || kh == nullptr)
        return invalid("gabor_kernel: kernel, kw and kh must not be null");
    if (Status s = check_ksize("gabor_kernel", p.ksize_w, p.ksize_h); !s.ok()) return s;
    detail::GaborConstants g;
    if (Status s = detail::gabor_constants(p, &g); !s.ok()) return s;
    return detail::guarded([&]() -> Status {
        const std::vector<double> k = gabor_kernel_double(p, kw, kh);
        kernel->assign(k.begin(), k.end());
        return {};
    });
}



namespace {

// Public entry points: never throw (see detail::guarded).
template <typename T>
Status gabor_entry(const TensorView<const T> &in, const Tensor &out, const GaborParams &p, Device d) {
    return detail::guarded([&] {
        return run_filter("gabor", in, out, [&](detail::Planned *pl) { return detail::plan_gabor<T>(in.shape, p, d, pl); });
    });
}
template <typename T>
Status bank_entry(const TensorView<const T> &in, const Tensor &out, const GaborBankParams &p, Device d) {
    return detail::guarded([&] {
        return run_filter("gabor_bank", in, out,
                          [&](detail::Planned *pl) { return detail::plan_gabor_bank<T>(in.shape, p, d, pl); });
    });
}
template <typename T>
Status box_entry(const TensorView<const T> &in, const Tensor &out, const BoxFilterParams &p, Device d) {
    return detail::guarded([&] {
        return run_filter("box_filter", in, out, [&](detail::Planned *pl) { return detail::plan_box<T>(in.shape, p, d, pl); });
    });
}
template <typename T>
Status filter2d_entry(const TensorView<const T> &in, const Tensor &out, const Filter2DParams &p, Device d) {
    return detail::guarded([&] {
        return run_filter("filter2d", in, out, [&](detail::Planned *pl) {
            return detail::plan_filter2d<T>(in.shape, p, d, /*own=*/false, pl, "filter2d");
        });
    });
}
template <typename T>
Status separable_entry(const TensorView<const T> &in, const Tensor &out, const SeparableParams &p, Device d) {
    return detail::guarded([&] {
        return run_filter("sep_filter2d", in, out, [&](detail::Planned *pl) {
            return detail::plan_separable_filter<T>(in.shape, p, d, /*own=*/false, pl);
        });
    });
}
template <typename T>
Status derivative_entry(const TensorView<const T> &in, const Tensor &out, const DerivativeParams &p, Device d) {
    return detail::guarded([&] {
        return run_filter("directional_derivative", in, out,
                          [&](detail::Planned *pl) { return detail::plan_derivative<T>(in.shape, p, d, pl); });
    });
}

}  // namespace

Status gabor(const ConstTensor &in, const Tensor &out, const GaborParams &p, Device d) { return gabor_entry(in, out, p, d); }
Status gabor(const ConstTensorU8 &in, const Tensor &out, const GaborParams &p, Device d) { return gabor_entry(in, out, p, d); }
Status gabor_bank(const ConstTensor &in, const Tensor &out, const GaborBankParams &p, Device d) { return bank_entry(in, out, p, d); }
Status gabor_bank(const ConstTensorU8 &in, const Tensor &out, const GaborBankParams &p, Device d) { return bank_entry(in, out, p, d); }
Status box_filter(const ConstTensor &in, const Tensor &out, const BoxFilterParams &p, Device d) { return box_entry(in, out, p, d); }
Status box_filter(const ConstTensorU8 &in, const Tensor &out, const BoxFilterParams &p, Device d) { return box_entry(in, out, p, d); }
Status filter2d(const ConstTensor &in, const Tensor &out, const Filter2DParams &p, Device d) { return filter2d_entry(in, out, p, d); }
Status filter2d(const ConstTensorU8 &in, const Tensor &out, const Filter2DParams &p, Device d) { return filter2d_entry(in, out, p, d); }
Status sep_filter2d(const ConstTensor &in, const Tensor &out, const SeparableParams &p, Device d) { return separable_entry(in, out, p, d); }
Status sep_filter2d(const ConstTensorU8 &in, const Tensor &out, const SeparableParams &p, Device d) { return separable_entry(in, out, p, d); }
Status directional_derivative(const ConstTensor &in, const Tensor &out, const DerivativeParams &p, Device d) {
    return derivative_entry(in, out, p, d);
}
Status directional_derivative(const ConstTensorU8 &in, const Tensor &out, const DerivativeParams &p, Device d) {
    return derivative_entry(in, out, p, d);
}

}  // namespace hk

// hk::gabor and hk::box_filter: validation, device choice, and the call into the generated
// pipelines (one per target class, picked from a small table).
#include <cmath>
#include <sstream>

#include "hk/filters.h"
#include "internal.h"

#include "kernels.h"

namespace hk {

namespace {

using detail::HalideTensor;

int odd_size(int k) { return 2 * (k / 2) + 1; }  // getGaborKernel's rounding

Shape filtered_shape(const Shape &in, int kw, int kh, Padding padding) {
    if (padding == Padding::same) return in;
    return {in.n, in.h - kh + 1, in.w - kw + 1, in.c};
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

Status check_enums(const char *op, Border border, Padding padding) {
    if (int(border) < 0 || int(border) > int(Border::reflect101))
        return invalid(std::string(op) + ": border = " + std::to_string(int(border)) + " is not a Border");
    if (padding != Padding::same && padding != Padding::valid)
        return invalid(std::string(op) + ": padding must be Padding::same or Padding::valid (got " +
                       std::to_string(int(padding)) + ")");
    return {};
}

// Filters' extra check: VALID must leave an output.
Status check_filter_call(const char *op, const ConstTensor &in, const Tensor &out,
                         const Shape &expected_out, Device device) {
    if (Status s = detail::check_tensor("input", in, false); !s.ok()) return s;
    if (expected_out.h < 1 || expected_out.w < 1) {
        std::ostringstream o;
        o << op << ": VALID padding leaves no output: input " << detail::shape_str(in.shape)
          << " is smaller than the kernel";
        return {StatusCode::shape_mismatch, o.str()};
    }
    return detail::check_io(op, in, out, expected_out, device);
}

bool finite_all(std::initializer_list<double> v) {
    for (double d : v)
        if (!std::isfinite(d)) return false;
    return true;
}

}  // namespace

Shape output_shape(const Shape &in, const GaborParams &p) {
    return filtered_shape(in, odd_size(p.ksize_w), odd_size(p.ksize_h), p.padding);
}

Shape output_shape(const Shape &in, const BoxFilterParams &p) {
    return filtered_shape(in, p.ksize_w, p.ksize_h, p.padding);
}

Status gabor(const ConstTensor &in, const Tensor &out, const GaborParams &p, Device device) {
    detail::init_runtime();
    const char *op = "gabor";
    if (Status s = check_ksize(op, p.ksize_w, p.ksize_h); !s.ok()) return s;
    if (!finite_all({p.sigma, p.theta, p.lambda, p.gamma, p.psi}))
        return invalid("gabor: sigma, theta, lambda, gamma and psi must be finite numbers");
    if (!(p.sigma > 0)) return invalid("gabor: sigma = " + std::to_string(p.sigma) + " must be > 0");
    if (!(p.lambda > 0)) return invalid("gabor: lambda = " + std::to_string(p.lambda) + " must be > 0");
    if (!(p.gamma > 0)) return invalid("gabor: gamma = " + std::to_string(p.gamma) + " must be > 0");
    // getGaborKernel's constants, in double as OpenCV computes them; the pipeline takes floats.
    const double sigma_y = p.sigma / p.gamma;
    const float ex = float(-0.5 / (p.sigma * p.sigma)), ey = float(-0.5 / (sigma_y * sigma_y));
    const float cscale = float(2 * M_PI / p.lambda), psi = float(p.psi);
    if (!finite_all({ex, ey, cscale, psi})) {
        std::ostringstream o;
        o << "gabor: sigma = " << p.sigma << ", gamma = " << p.gamma << ", lambda = " << p.lambda
          << ", psi = " << p.psi << " overflow float arithmetic (sigma, sigma/gamma and lambda must be "
          << "above ~1e-19, psi below ~3e38)";
        return invalid(o.str());
    }
    if (Status s = check_enums(op, p.border, p.padding); !s.ok()) return s;
    if (Status s = check_filter_call(op, in, out, output_shape(in.shape, p), device); !s.ok()) return s;

    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    if (p.padding == Padding::valid) hout.set_origin(p.ksize_w / 2, p.ksize_h / 2);
    auto fn = detail::kGabor.get(d);
    return detail::run_pipeline(op, d, {&hin}, hout, [&](void *uc) {
        return fn(uc, &hin.buf, p.ksize_w, p.ksize_h, float(std::cos(p.theta)), float(std::sin(p.theta)),
                  ex, ey, cscale, psi, int(p.border), &hout.buf);
    });
}

Status box_filter(const ConstTensor &in, const Tensor &out, const BoxFilterParams &p, Device device) {
    detail::init_runtime();
    const char *op = "box_filter";
    if (Status s = check_ksize(op, p.ksize_w, p.ksize_h); !s.ok()) return s;
    if (Status s = check_enums(op, p.border, p.padding); !s.ok()) return s;
    if (Status s = check_filter_call(op, in, out, output_shape(in.shape, p), device); !s.ok()) return s;

    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    if (p.padding == Padding::valid) hout.set_origin(p.ksize_w / 2, p.ksize_h / 2);
    auto fn = detail::kBoxFilter.get(d);
    return detail::run_pipeline(op, d, {&hin}, hout, [&](void *uc) {
        return fn(uc, &hin.buf, p.ksize_w, p.ksize_h, p.normalize, int(p.border), &hout.buf);
    });
}

}  // namespace hk

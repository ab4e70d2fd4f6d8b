// hk::gabor and hk::box_filter: validation, device choice, and the call into the generated
// pipelines (one per target class, picked from a small table).
#include <cmath>
#include <sstream>

#include "hk/filters.h"
#include "internal.h"

#include "hk_box_filter_cpu.h"
#include "hk_gabor_cpu.h"
#if HK_HAVE_OPENCL
#include "hk_box_filter_opencl.h"
#include "hk_gabor_opencl.h"
#endif
#if HK_HAVE_CUDA
#include "hk_box_filter_cuda.h"
#include "hk_gabor_cuda.h"
#endif

namespace hk {

namespace {

using detail::HalideTensor;

// The generated entry points of one kernel, per target class (null: not compiled in).
template <typename Fn>
struct Variants {
    Fn cpu, opencl, cuda;
    Fn get(Device d) const {
        switch (d) {
        case Device::opencl: return opencl;
        case Device::cuda: return cuda;
        default: return cpu;
        }
    }
};

#if HK_HAVE_OPENCL
#define HK_OPENCL(fn) fn
#else
#define HK_OPENCL(fn) nullptr
#endif
#if HK_HAVE_CUDA
#define HK_CUDA(fn) fn
#else
#define HK_CUDA(fn) nullptr
#endif

const Variants<decltype(&hk_gabor_cpu)> kGabor{hk_gabor_cpu, HK_OPENCL(hk_gabor_opencl),
                                               HK_CUDA(hk_gabor_cuda)};
const Variants<decltype(&hk_box_filter_cpu)> kBox{hk_box_filter_cpu, HK_OPENCL(hk_box_filter_opencl),
                                                  HK_CUDA(hk_box_filter_cuda)};

int odd_size(int k) { return 2 * (k / 2) + 1; }  // getGaborKernel's rounding

Shape filtered_shape(const Shape &in, int kw, int kh, Padding padding) {
    if (padding == Padding::same) return in;
    return {in.n, in.h - kh + 1, in.w - kw + 1, in.c};
}

std::string shape_str(const Shape &s) {
    std::ostringstream o;
    o << "[n=" << s.n << ", h=" << s.h << ", w=" << s.w << ", c=" << s.c << "]";
    return o.str();
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
        return invalid(std::string(op) + ": padding = " + std::to_string(int(padding)) + " is not a Padding");
    return {};
}

// Checks shared by every filter: tensors, aliasing, output shape, device.
Status check_filter_call(const char *op, const ConstTensor &in, const Tensor &out,
                         const Shape &expected_out, Device device) {
    if (Status s = detail::check_tensor("input", in, false); !s.ok()) return s;
    if (expected_out.h < 1 || expected_out.w < 1) {
        std::ostringstream o;
        o << op << ": VALID padding leaves no output: input " << shape_str(in.shape)
          << " is smaller than the kernel";
        return {StatusCode::shape_mismatch, o.str()};
    }
    if (Status s = detail::check_tensor("output", out, true); !s.ok()) return s;
    if (out.shape != expected_out) {
        std::ostringstream o;
        o << op << ": output shape " << shape_str(out.shape) << " does not match the expected "
          << shape_str(expected_out) << " for input " << shape_str(in.shape);
        return {StatusCode::shape_mismatch, o.str()};
    }
    if (Status s = detail::check_no_alias(in, out); !s.ok()) return s;
    if (int(device) < 0 || int(device) > int(Device::automatic))
        return invalid(std::string(op) + ": device = " + std::to_string(int(device)) + " is not a Device");
    return check_device(device);
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
    if (Status s = check_enums(op, p.border, p.padding); !s.ok()) return s;
    if (Status s = check_filter_call(op, in, out, output_shape(in.shape, p), device); !s.ok()) return s;

    const Device d = resolve(device);
    HalideTensor hin(in), hout(out);
    if (p.padding == Padding::valid) hout.set_origin(p.ksize_w / 2, p.ksize_h / 2);
    auto fn = kGabor.get(d);
    return detail::run_pipeline(op, d, hin, hout, [&](halide_buffer_t *i, halide_buffer_t *o) {
        return fn(i, p.ksize_w, p.ksize_h, float(p.sigma), float(p.theta), float(p.lambda),
                  float(p.gamma), float(p.psi), int(p.border), o);
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
    auto fn = kBox.get(d);
    return detail::run_pipeline(op, d, hin, hout, [&](halide_buffer_t *i, halide_buffer_t *o) {
        return fn(i, p.ksize_w, p.ksize_h, p.normalize, int(p.border), o);
    });
}

}  // namespace hk

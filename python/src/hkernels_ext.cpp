// hkernels._hkernels: the Python bindings of the hk:: C++ API (nanobind).
//
// Every op takes its input as any array nanobind can import without a copy (DLPack or the
// buffer protocol: numpy, PyTorch CPU, JAX, TensorFlow CPU tensors), float32 or uint8, of rank
//   2: HW    -> NHWC 1 x H x W x 1
//   3: HWC   -> NHWC 1 x H x W x C
//   4: NHWC
// with strides in elements as hk::TensorView takes them (channels contiguous). The result is a
// new float32 numpy array of the input's rank (an HW input whose output has several channels,
// as a Gabor bank's, gives HWC), or the given `out=` array, filled in place.
// The GIL is released while a kernel runs. A non-ok hk::Status is raised as an exception of the
// class its code maps to (errors in __init__.py), with the Status' message.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/array.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/variant.h>
#include <nanobind/stl/vector.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "hk/hk.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace {

// ---- Errors: one Python class per hk::StatusCode ------------------------------------------
// Created in module init (ValueError and RuntimeError subclasses); raise_status throws them.
PyObject *g_error_types[6] = {};

const char *code_name(hk::StatusCode c) { return hk::to_string(c); }

[[noreturn]] void raise_code(hk::StatusCode code, const std::string &message) {
    PyObject *type = g_error_types[int(code)];
    nb::object exc = nb::steal(PyObject_CallFunction(type, "s", message.c_str()));
    if (!exc.is_valid()) throw nb::python_error();
    exc.attr("code") = code_name(code);
    PyErr_SetObject(type, exc.ptr());
    throw nb::python_error();
}

void check(const hk::Status &s) {
    if (!s.ok()) raise_code(s.code(), s.message());
}

[[noreturn]] void raise_type_error(const std::string &message) {
    throw nb::type_error(message.c_str());
}

// ---- Enums: one name table each, for nb::enum_ and for the string forms ---------------------
template <typename E>
struct EnumInfo;
#define HK_ENUM(E, PYNAME, DOC, ...)                                             \
    template <>                                                                  \
    struct EnumInfo<E> {                                                         \
        static constexpr const char *name = PYNAME;                              \
        static constexpr const char *doc = DOC;                                  \
        static constexpr std::pair<const char *, E> items[] = {__VA_ARGS__};     \
    };
HK_ENUM(hk::Border, "Border", "What a filter reads outside the image (OpenCV's names: BORDER_CONSTANT 0, BORDER_REPLICATE, BORDER_REFLECT_101).",
        {"zero", hk::Border::zero}, {"replicate", hk::Border::replicate},
        {"reflect101", hk::Border::reflect101})
HK_ENUM(hk::Padding, "Padding", "Output size: same (the input's size; TensorFlow's SAME for strided layers), valid, or explicit_pads (conv2d and pool2d: `pads`).",
        {"same", hk::Padding::same}, {"valid", hk::Padding::valid},
        {"explicit_pads", hk::Padding::explicit_pads})
HK_ENUM(hk::ChannelMode, "ChannelMode", "per_channel: each channel filtered alone; sum: one output channel, the sum over the channels (tf.nn.conv2d with a [k, k, C, 1] kernel of equal slices).",
        {"per_channel", hk::ChannelMode::per_channel}, {"sum", hk::ChannelMode::sum})
HK_ENUM(hk::LowRank, "LowRank", "automatic: kernels of low rank run as separable passes within hk::kLowRankTolerance; off: always the direct 2D filter.",
        {"automatic", hk::LowRank::automatic}, {"off", hk::LowRank::off})
HK_ENUM(hk::FilterPath, "FilterPath", "How Gabor and filter2d apply a kernel: automatic (the cost model picks), direct taps, or fft (tiled FFTs, kernels up to 33 per side, CPU only).",
        {"automatic", hk::FilterPath::automatic}, {"direct", hk::FilterPath::direct}, {"fft", hk::FilterPath::fft})
HK_ENUM(hk::GaborResponse, "GaborResponse", "A Gabor bank's response: real part, imaginary part (psi - pi/2), or magnitude.",
        {"real", hk::GaborResponse::real}, {"imaginary", hk::GaborResponse::imaginary},
        {"magnitude", hk::GaborResponse::magnitude})
HK_ENUM(hk::Stencil, "Stencil", "Derivative stencils: central differences, Sobel (3x3), Scharr (first order only).",
        {"central", hk::Stencil::central}, {"sobel", hk::Stencil::sobel}, {"scharr", hk::Stencil::scharr})
HK_ENUM(hk::Activation, "Activation", "Activation functions with TensorFlow's semantics.",
        {"none", hk::Activation::none}, {"relu", hk::Activation::relu},
        {"leaky_relu", hk::Activation::leaky_relu}, {"relu6", hk::Activation::relu6},
        {"sigmoid", hk::Activation::sigmoid}, {"tanh", hk::Activation::tanh},
        {"gelu_erf", hk::Activation::gelu_erf}, {"gelu_tanh", hk::Activation::gelu_tanh})
HK_ENUM(hk::PoolKind, "PoolKind", "Pooling: max or average.", {"max", hk::PoolKind::max},
        {"average", hk::PoolKind::average})
HK_ENUM(hk::Device, "Device", "Where an op runs: cpu, opencl, cuda, or automatic (CUDA, else an OpenCL GPU, else the CPU).",
        {"cpu", hk::Device::cpu}, {"opencl", hk::Device::opencl}, {"cuda", hk::Device::cuda},
        {"automatic", hk::Device::automatic})
HK_ENUM(hk::Fusion, "Fusion", "run_model: fused (one pipeline) or unfused (the ops one after another).",
        {"fused", hk::Fusion::fused}, {"unfused", hk::Fusion::unfused})
#undef HK_ENUM

// An enum parameter: the enum, or its name as a string ("reflect101").
template <typename E>
using EnumArg = std::variant<E, std::string>;

// PoCL (the CPU OpenCL driver) and TensorFlow do not mix: both bring LLVM, TensorFlow's symbols
// are global, and loading PoCL after TensorFlow crashes inside LLVM's static initializers (seen:
// llvm::cl::Option::addArgument in libtensorflow_framework.so.2, from libclang-cpp). So the first
// time a device other than the CPU is asked for, if TensorFlow is already loaded, OpenCL drivers
// are hidden from the ICD loader (OCL_ICD_VENDORS = an empty folder): OpenCL is then reported
// unavailable, with a warning, instead of crashing. HK_OPENCL_WITH_TENSORFLOW=1 skips this (for
// non-LLVM OpenCL drivers); probing before TensorFlow is imported (hkernels.available_devices())
// loads PoCL first, which does not crash (PoCL's kernel builds may still fail then: clear errors).
void guard_opencl_probe() {
    static bool done = false;
    if (done) return;
    done = true;
    if (std::getenv("OCL_ICD_VENDORS") || std::getenv("HK_OPENCL_WITH_TENSORFLOW")) return;
    nb::dict modules = nb::borrow<nb::dict>(nb::module_::import_("sys").attr("modules"));
    if (!modules.contains("tensorflow")) return;
    const std::string dir = (std::filesystem::temp_directory_path() / "hkernels-no-opencl-vendors").string();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    setenv("OCL_ICD_VENDORS", dir.c_str(), 1);
    PyErr_WarnEx(PyExc_RuntimeWarning,
                 "hkernels: TensorFlow was imported before hkernels first looked for devices; OpenCL drivers "
                 "built on LLVM (PoCL) crash when loaded after it, so OpenCL is disabled in this process. "
                 "Call hkernels.available_devices() before importing TensorFlow, or set "
                 "HK_OPENCL_WITH_TENSORFLOW=1 for a GPU driver.",
                 1);
}

template <typename E>
E to_enum(const EnumArg<E> &a, const char *param);

hk::Device device_of(const EnumArg<hk::Device> &a, const char *param = "device") {
    const hk::Device d = to_enum(a, param);
    if (d != hk::Device::cpu) guard_opencl_probe();
    return d;
}

template <typename E>
E to_enum(const EnumArg<E> &a, const char *param) {
    if (const E *e = std::get_if<E>(&a)) return *e;
    const std::string &s = std::get<std::string>(a);
    for (const auto &[n, v] : EnumInfo<E>::items)
        if (s == n) return v;
    std::string valid;
    for (const auto &[n, v] : EnumInfo<E>::items) valid += std::string(valid.empty() ? "" : ", ") + "'" + n + "'";
    raise_code(hk::StatusCode::invalid_argument,
               std::string(param) + " = '" + s + "' is not a " + EnumInfo<E>::name + ": use one of " + valid);
}

template <typename E>
void bind_enum(nb::module_ &m) {
    nb::enum_<E> e(m, EnumInfo<E>::name, EnumInfo<E>::doc);
    for (const auto &[n, v] : EnumInfo<E>::items) e.value(n, v);
}

using BorderArg = EnumArg<hk::Border>;
using PaddingArg = EnumArg<hk::Padding>;
using ChannelArg = EnumArg<hk::ChannelMode>;
using LowRankArg = EnumArg<hk::LowRank>;
using PathArg = EnumArg<hk::FilterPath>;
using ResponseArg = EnumArg<hk::GaborResponse>;
using StencilArg = EnumArg<hk::Stencil>;
using ActivationArg = EnumArg<hk::Activation>;
using PoolKindArg = EnumArg<hk::PoolKind>;
using DeviceArg = EnumArg<hk::Device>;
using FusionArg = EnumArg<hk::Fusion>;
using OptInt = std::optional<int>;
using IntPair = std::variant<int, std::pair<int, int>>;  // n, or (h, w)
using OptPads = std::optional<std::array<int, 4>>;      // (top, bottom, left, right)

std::pair<int, int> pair_of(const IntPair &v) {
    if (const int *i = std::get_if<int>(&v)) return {*i, *i};
    return std::get<std::pair<int, int>>(v);
}

// ksize=k (square) or ksize_w / ksize_h; either overrides ksize on its side.
void kernel_size(const char *op, OptInt ksize, OptInt ksize_w, OptInt ksize_h, int *w, int *h) {
    if (!ksize && !(ksize_w && ksize_h))
        raise_code(hk::StatusCode::invalid_argument,
                   std::string(op) + ": give ksize (a square kernel) or both ksize_w and ksize_h");
    *w = ksize_w ? *ksize_w : *ksize;
    *h = ksize_h ? *ksize_h : *ksize;
}

// ---- Arrays -----------------------------------------------------------------------------
using InArray = nb::ndarray<nb::ro>;
using Kernel2D = nb::ndarray<const float, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
using Kernel1D = nb::ndarray<const float, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using Weights4D = nb::ndarray<const float, nb::ndim<4>, nb::c_contig, nb::device::cpu>;

const char *rank_doc = "2 (HW), 3 (HWC) or 4 (NHWC)";

std::string shape_str(const nb::ndarray<nb::ro> &a) {
    std::string s = "(";
    for (size_t i = 0; i < a.ndim(); i++) s += (i ? ", " : "") + std::to_string(a.shape(i));
    return s + (a.ndim() == 1 ? ",)" : ")");
}

std::string dtype_str(nb::dlpack::dtype t) {
    const char *kind = t.code == uint8_t(nb::dlpack::dtype_code::Float)  ? "float"
                       : t.code == uint8_t(nb::dlpack::dtype_code::Int)  ? "int"
                       : t.code == uint8_t(nb::dlpack::dtype_code::UInt) ? "uint"
                       : t.code == uint8_t(nb::dlpack::dtype_code::Bool) ? "bool"
                                                                         : "other";
    return std::string(kind) + std::to_string(t.bits);
}

// A tensor of rank 2..4 seen as NHWC: shape and strides in elements. Extent-1 dims get
// stride 1 (any value addresses the same element; hk requires positive strides).
struct Nhwc {
    hk::Shape shape;
    int64_t stride[4] = {1, 1, 1, 1};  // n, h, w, c
    int rank = 4;
};

template <typename A>
Nhwc nhwc_of(const char *op, const char *what, const A &a) {
    Nhwc v;
    v.rank = int(a.ndim());
    int64_t ext[4] = {1, 1, 1, 1};
    int64_t str[4] = {1, 1, 1, 1};
    const int first = 4 - v.rank + (v.rank == 2 ? -1 : 0);  // HW -> dims 1, 2
    if (v.rank < 2 || v.rank > 4)
        raise_code(hk::StatusCode::invalid_argument,
                   std::string(op) + ": " + what + " has " + std::to_string(v.rank) + " dimensions; give " + rank_doc);
    for (int i = 0; i < v.rank; i++) {
        ext[first + i] = int64_t(a.shape(size_t(i)));
        str[first + i] = a.stride(size_t(i));
    }
    for (int d = 0; d < 4; d++) v.stride[d] = ext[d] == 1 ? 1 : str[d];
    v.shape = {ext[0], ext[1], ext[2], ext[3]};
    return v;
}

struct Input {
    Nhwc view;
    const void *data = nullptr;
    bool is_u8 = false;
    template <typename T>
    hk::TensorView<const T> tensor() const {
        hk::TensorView<const T> t;
        t.data = static_cast<const T *>(data);
        t.shape = view.shape;
        t.stride_n = view.stride[0];
        t.stride_h = view.stride[1];
        t.stride_w = view.stride[2];
        t.stride_c = view.stride[3];
        return t;
    }
};

Input input_of(const char *op, const InArray &a, bool allow_u8) {
    if (a.device_type() != nb::device::cpu::value)
        raise_type_error(std::string(op) + ": the input is not in CPU memory (DLPack device type " +
                         std::to_string(a.device_type()) + "); hkernels reads host arrays, e.g. tensor.cpu()");
    const nb::dlpack::dtype t = a.dtype();
    Input in;
    if (t == nb::dtype<float>()) {
        in.is_u8 = false;
    } else if (allow_u8 && t == nb::dtype<uint8_t>()) {
        in.is_u8 = true;
    } else {
        raise_type_error(std::string(op) + ": input dtype " + dtype_str(t) + " is not supported; give " +
                         (allow_u8 ? "float32 or uint8" : "float32") + " (e.g. x.astype(numpy.float32))");
    }
    in.view = nhwc_of(op, "the input", a);
    in.data = a.data();
    return in;
}

// The numpy module's `empty`, looked up once.
nb::object &numpy_empty() {
    static nb::object *f = new nb::object(nb::module_::import_("numpy").attr("empty"));
    return *f;
}

// A small float32 array (a kernel, weights, a bias) from any array-like: numpy arrays of any
// dtype, lists, tensors. numpy.ascontiguousarray returns a float32 C-contiguous array as it is.
template <typename A>
A float_array(nb::handle obj, const char *what, size_t ndim, const char *dims) {
    static nb::object *ascontiguous = new nb::object(nb::module_::import_("numpy").attr("ascontiguousarray"));
    nb::object arr;
    try {
        arr = (*ascontiguous)(obj, "float32");
    } catch (nb::python_error &e) {
        raise_type_error(std::string(what) + " must be an array of numbers " + dims + ": " + e.what());
    }
    const nb::object shape = arr.attr("shape");
    const size_t got = nb::len(shape);
    if (got != ndim) {
        const std::string shape_text = nb::repr(shape).c_str();
        raise_code(hk::StatusCode::invalid_argument, std::string(what) + " must have " + std::to_string(ndim) +
                                                         " dimensions " + dims + "; got shape " + shape_text);
    }
    return nb::cast<A>(arr, false);
}

// An NHWC shape as the tuple of the given rank (2: HW, or HWC when C > 1; 3: HWC; 4: NHWC).
nb::tuple shape_tuple(const hk::Shape &s, int rank) {
    if (rank == 4) return nb::make_tuple(s.n, s.h, s.w, s.c);
    if (rank == 2 && s.c == 1) return nb::make_tuple(s.h, s.w);
    return nb::make_tuple(s.h, s.w, s.c);
}

std::string nhwc_str(const hk::Shape &s) {
    return "(" + std::to_string(s.n) + ", " + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " +
           std::to_string(s.c) + ")";
}

struct Output {
    nb::object array;  // what the call returns
    hk::Tensor tensor;
};

// The output: `out` when given (float32, CPU, writable, its NHWC shape the op's), else a new
// numpy array of the input's rank.
Output output_of(const char *op, const nb::object &out, const hk::Shape &shape, int in_rank) {
    Output o;
    if (out.is_none()) {
        o.array = numpy_empty()(shape_tuple(shape, in_rank), "float32");
        nb::ndarray<float> a = nb::cast<nb::ndarray<float>>(o.array, false);
        o.tensor = hk::Tensor::dense(a.data(), shape);
        return o;
    }
    nb::ndarray<> a;
    if (!nb::try_cast(out, a, false))
        raise_type_error(std::string(op) + ": out must be a writable array (numpy, or DLPack / buffer protocol), got " +
                         nb::type_name(out.type()).c_str());
    if (a.device_type() != nb::device::cpu::value)
        raise_type_error(std::string(op) + ": out is not in CPU memory");
    if (a.dtype() != nb::dtype<float>())
        raise_type_error(std::string(op) + ": out has dtype " + dtype_str(a.dtype()) + "; it must be float32");
    Nhwc v = nhwc_of(op, "out", a);
    if (v.shape != shape)
        raise_code(hk::StatusCode::shape_mismatch, std::string(op) + ": out has NHWC shape " + nhwc_str(v.shape) +
                                                       ", the op's output is " + nhwc_str(shape));
    o.array = out;
    o.tensor.data = static_cast<float *>(a.data());
    o.tensor.shape = shape;
    o.tensor.stride_n = v.stride[0];
    o.tensor.stride_h = v.stride[1];
    o.tensor.stride_w = v.stride[2];
    o.tensor.stride_c = v.stride[3];
    return o;
}

// Runs `fn(in_view, out_view)` (a generic lambda) on the input's type with the GIL released.
template <typename Params, typename Fn>
nb::object run_op(const char *op, const InArray &in_arr, const Params &p, const nb::object &out, bool allow_u8,
                  Fn &&fn) {
    const Input in = input_of(op, in_arr, allow_u8);
    hk::Shape out_shape;
    check(hk::output_shape(in.view.shape, p, &out_shape));
    Output o = output_of(op, out, out_shape, in.view.rank);
    hk::Status s;
    {
        nb::gil_scoped_release release;
        if (in.is_u8) {
            if constexpr (std::is_invocable_v<Fn, hk::ConstTensorU8, hk::Tensor>)
                s = fn(in.tensor<uint8_t>(), o.tensor);
        } else {
            s = fn(in.tensor<float>(), o.tensor);
        }
    }
    check(s);
    return o.array;
}

// ---- Parameter structs, built from keyword arguments --------------------------------------
// Each op's keyword arguments are listed once (HK_*_ARGS for nanobind, HK_*_PARAMS / _NAMES for
// the C++ side), shared by the op function and the params class that Sequential takes.

hk::ActivationParams activation_params(ActivationArg kind, double alpha) {
    hk::ActivationParams a;
    a.kind = to_enum(kind, "activation");
    a.alpha = float(alpha);
    return a;
}

#define HK_GABOR_ARGS                                                                                   \
    "sigma"_a, "lambd"_a, "ksize"_a = nb::none(), "ksize_w"_a = nb::none(), "ksize_h"_a = nb::none(),   \
        "theta"_a = 0.0, "gamma"_a = 1.0, "psi"_a = M_PI / 2, "border"_a = "reflect101",               \
        "padding"_a = "same", "channels"_a = "per_channel", "low_rank"_a = "automatic", "path"_a = "automatic"
#define HK_GABOR_PARAMS                                                                                 \
    double sigma, double lambd, OptInt ksize, OptInt ksize_w, OptInt ksize_h, double theta, double gamma, \
        double psi, BorderArg border, PaddingArg padding, ChannelArg channels, LowRankArg low_rank, PathArg path
#define HK_GABOR_NAMES sigma, lambd, ksize, ksize_w, ksize_h, theta, gamma, psi, border, padding, channels, low_rank, path

hk::GaborParams gabor_params(HK_GABOR_PARAMS) {
    hk::GaborParams p;
    kernel_size("gabor", ksize, ksize_w, ksize_h, &p.ksize_w, &p.ksize_h);
    p.sigma = sigma;
    p.theta = theta;
    p.lambda = lambd;
    p.gamma = gamma;
    p.psi = psi;
    p.border = to_enum(border, "border");
    p.padding = to_enum(padding, "padding");
    p.channels = to_enum(channels, "channels");
    p.low_rank = to_enum(low_rank, "low_rank");
    p.path = to_enum(path, "path");
    return p;
}

#define HK_BANK_ARGS                                                                                    \
    "thetas"_a, "lambdas"_a, "ksize"_a = nb::none(), "ksize_w"_a = nb::none(), "ksize_h"_a = nb::none(), \
        "sigmas"_a = std::vector<double>{}, "psis"_a = std::vector<double>{0.0}, "gamma"_a = 0.5,        \
        "response"_a = "real", "border"_a = "reflect101", "padding"_a = "same"
#define HK_BANK_PARAMS                                                                                  \
    std::vector<double> thetas, std::vector<double> lambdas, OptInt ksize, OptInt ksize_w, OptInt ksize_h, \
        std::vector<double> sigmas, std::vector<double> psis, double gamma, ResponseArg response,        \
        BorderArg border, PaddingArg padding
#define HK_BANK_NAMES thetas, lambdas, ksize, ksize_w, ksize_h, sigmas, psis, gamma, response, border, padding

hk::GaborBankParams bank_params(HK_BANK_PARAMS) {
    hk::GaborBankParams p;
    kernel_size("gabor_bank", ksize, ksize_w, ksize_h, &p.ksize_w, &p.ksize_h);
    p.thetas = std::move(thetas);
    p.lambdas = std::move(lambdas);
    p.sigmas = std::move(sigmas);
    p.psis = std::move(psis);
    p.gamma = gamma;
    p.response = to_enum(response, "response");
    p.border = to_enum(border, "border");
    p.padding = to_enum(padding, "padding");
    return p;
}

#define HK_BOX_ARGS                                                                                      \
    "ksize"_a = nb::none(), "ksize_w"_a = nb::none(), "ksize_h"_a = nb::none(), "normalize"_a = true,  \
        "border"_a = "reflect101", "padding"_a = "same", "channels"_a = "per_channel"
#define HK_BOX_PARAMS                                                                                  \
    OptInt ksize, OptInt ksize_w, OptInt ksize_h, bool normalize, BorderArg border, PaddingArg padding, \
        ChannelArg channels
#define HK_BOX_NAMES ksize, ksize_w, ksize_h, normalize, border, padding, channels

hk::BoxFilterParams box_params(HK_BOX_PARAMS) {
    hk::BoxFilterParams p;
    kernel_size("box_filter", ksize, ksize_w, ksize_h, &p.ksize_w, &p.ksize_h);
    p.normalize = normalize;
    p.border = to_enum(border, "border");
    p.padding = to_enum(padding, "padding");
    p.channels = to_enum(channels, "channels");
    return p;
}

// Filter2DParams and SeparableParams point at their kernels: these own a copy.
struct PyFilter2D {
    std::vector<float> kernel;
    hk::Filter2DParams p;
    hk::Filter2DParams params() const {
        hk::Filter2DParams q = p;
        q.kernel = kernel.data();
        return q;
    }
};

#define HK_FILTER2D_ARGS                                                                               \
    "kernel"_a, "anchor_x"_a = -1, "anchor_y"_a = -1, "border"_a = "reflect101", "padding"_a = "same", \
        "channels"_a = "per_channel", "activation"_a = "none", "alpha"_a = 0.2, "low_rank"_a = "automatic",  \
        "path"_a = "automatic"
#define HK_FILTER2D_PARAMS                                                                                 \
    nb::handle kernel_obj, int anchor_x, int anchor_y, BorderArg border, PaddingArg padding,             \
        ChannelArg channels, ActivationArg activation, double alpha, LowRankArg low_rank, PathArg path
#define HK_FILTER2D_NAMES kernel_obj, anchor_x, anchor_y, border, padding, channels, activation, alpha, low_rank, path

PyFilter2D filter2d_params(HK_FILTER2D_PARAMS) {
    const Kernel2D kernel = float_array<Kernel2D>(kernel_obj, "filter2d: kernel", 2, "(kh, kw)");
    PyFilter2D f;
    f.kernel.assign(kernel.data(), kernel.data() + kernel.size());
    f.p.kh = int(kernel.shape(0));
    f.p.kw = int(kernel.shape(1));
    f.p.anchor_x = anchor_x;
    f.p.anchor_y = anchor_y;
    f.p.border = to_enum(border, "border");
    f.p.padding = to_enum(padding, "padding");
    f.p.channels = to_enum(channels, "channels");
    f.p.activation = activation_params(activation, alpha);
    f.p.low_rank = to_enum(low_rank, "low_rank");
    f.p.path = to_enum(path, "path");
    return f;
}

struct PySeparable {
    std::vector<float> kx, ky;
    hk::SeparableParams p;
    hk::SeparableParams params() const {
        hk::SeparableParams q = p;
        q.kernel_x = kx.data();
        q.kernel_y = ky.data();
        return q;
    }
};

#define HK_SEP_ARGS                                                                                       \
    "kernel_x"_a, "kernel_y"_a, "anchor_x"_a = -1, "anchor_y"_a = -1, "border"_a = "reflect101",          \
        "padding"_a = "same", "channels"_a = "per_channel", "activation"_a = "none", "alpha"_a = 0.2
#define HK_SEP_PARAMS                                                                                    \
    nb::handle kernel_x_obj, nb::handle kernel_y_obj, int anchor_x, int anchor_y, BorderArg border,    \
        PaddingArg padding, ChannelArg channels, ActivationArg activation, double alpha
#define HK_SEP_NAMES kernel_x_obj, kernel_y_obj, anchor_x, anchor_y, border, padding, channels, activation, alpha

PySeparable sep_params(HK_SEP_PARAMS) {
    const Kernel1D kernel_x = float_array<Kernel1D>(kernel_x_obj, "sep_filter2d: kernel_x", 1, "(kw,)");
    const Kernel1D kernel_y = float_array<Kernel1D>(kernel_y_obj, "sep_filter2d: kernel_y", 1, "(kh,)");
    PySeparable s;
    s.kx.assign(kernel_x.data(), kernel_x.data() + kernel_x.size());
    s.ky.assign(kernel_y.data(), kernel_y.data() + kernel_y.size());
    s.p.kw = int(s.kx.size());
    s.p.kh = int(s.ky.size());
    s.p.anchor_x = anchor_x;
    s.p.anchor_y = anchor_y;
    s.p.border = to_enum(border, "border");
    s.p.padding = to_enum(padding, "padding");
    s.p.channels = to_enum(channels, "channels");
    s.p.activation = activation_params(activation, alpha);
    return s;
}

#define HK_DERIV_ARGS                                                                                  \
    "theta"_a = 0.0, "order"_a = 1, "stencil"_a = "sobel", "border"_a = "reflect101",                   \
        "padding"_a = "same", "channels"_a = "per_channel", "activation"_a = "none", "alpha"_a = 0.2
#define HK_DERIV_PARAMS                                                                                 \
    double theta, int order, StencilArg stencil, BorderArg border, PaddingArg padding, ChannelArg channels, \
        ActivationArg activation, double alpha
#define HK_DERIV_NAMES theta, order, stencil, border, padding, channels, activation, alpha

hk::DerivativeParams deriv_params(HK_DERIV_PARAMS) {
    hk::DerivativeParams p;
    p.theta = theta;
    p.order = order;
    p.stencil = to_enum(stencil, "stencil");
    p.border = to_enum(border, "border");
    p.padding = to_enum(padding, "padding");
    p.channels = to_enum(channels, "channels");
    p.activation = activation_params(activation, alpha);
    return p;
}

#define HK_POOL_ARGS                                                                                  \
    "kind"_a = "max", "window"_a = 2, "strides"_a = nb::none(), "padding"_a = "valid",                \
        "pads"_a = nb::none(), "count_include_pad"_a = false
#define HK_POOL_PARAMS                                                                                \
    PoolKindArg kind, IntPair window, std::optional<IntPair> strides, PaddingArg padding, OptPads pads, \
        bool count_include_pad
#define HK_POOL_NAMES kind, window, strides, padding, pads, count_include_pad

hk::Pads pads_of(const OptPads &pads) {
    hk::Pads p;
    if (pads) p = {(*pads)[0], (*pads)[1], (*pads)[2], (*pads)[3]};
    return p;
}

hk::Pool2DParams pool_params(HK_POOL_PARAMS) {
    hk::Pool2DParams p;
    p.kind = to_enum(kind, "kind");
    std::tie(p.window_h, p.window_w) = pair_of(window);
    std::tie(p.stride_h, p.stride_w) = strides ? pair_of(*strides) : pair_of(window);
    p.padding = to_enum(padding, "padding");
    p.pads = pads_of(pads);
    p.count_include_pad = count_include_pad;
    return p;
}

// A conv2d layer owning its weights (HWIO) and bias.
struct PyConv2D {
    std::vector<float> weights, bias;
    hk::Conv2DLayer layer;
    hk::Conv2DLayer get() const {
        hk::Conv2DLayer l = layer;
        l.weights.data = weights.data();
        l.bias = bias.empty() ? nullptr : bias.data();
        return l;
    }
};

#define HK_CONV_ARGS                                                                                   \
    "weights"_a, "bias"_a = nb::none(), "strides"_a = 1, "dilation"_a = 1, "groups"_a = 1,              \
        "padding"_a = "valid", "pads"_a = nb::none(), "activation"_a = "none", "alpha"_a = 0.2
#define HK_CONV_PARAMS                                                                                 \
    nb::handle weights_obj, nb::handle bias_obj, IntPair strides, IntPair dilation, int groups, \
        PaddingArg padding, OptPads pads, ActivationArg activation, double alpha
#define HK_CONV_NAMES weights_obj, bias_obj, strides, dilation, groups, padding, pads, activation, alpha

// conv2d's parameters but the weights and bias.
hk::Conv2DParams conv2d_params(IntPair strides, IntPair dilation, int groups, PaddingArg padding, OptPads pads,
                               ActivationArg activation, double alpha) {
    hk::Conv2DParams p;
    std::tie(p.stride_h, p.stride_w) = pair_of(strides);
    std::tie(p.dilation_h, p.dilation_w) = pair_of(dilation);
    p.groups = groups;
    p.padding = to_enum(padding, "padding");
    p.pads = pads_of(pads);
    p.activation = activation_params(activation, alpha);
    return p;
}

// An HWIO array's sizes as a FilterView (data: the array's). A size past int's range would wrap
// in the conversion to a smaller, wrong one: an error here instead (hkernels' own limits follow).
hk::FilterView hwio_view(const Weights4D &weights, const char *op) {
    int sizes[4];
    for (int i = 0; i < 4; i++) {
        if (weights.shape(i) > size_t(std::numeric_limits<int>::max()))
            raise_code(hk::StatusCode::invalid_argument, std::string(op) + ": weights dimension " + std::to_string(i) +
                                                             " = " + std::to_string(weights.shape(i)) + " is too large");
        sizes[i] = int(weights.shape(i));
    }
    return {weights.data(), sizes[0], sizes[1], sizes[2], sizes[3]};
}

hk::PackedConv2DWeights packed_conv_weights(nb::handle weights_obj, nb::handle bias_obj) {
    const Weights4D weights = float_array<Weights4D>(weights_obj, "PackedConv2DWeights: weights", 4,
                                                     "(kh, kw, in_channels, out_channels), HWIO");
    std::optional<Kernel1D> bias;
    if (!bias_obj.is_none()) bias = float_array<Kernel1D>(bias_obj, "PackedConv2DWeights: bias", 1, "(out_channels,)");
    if (bias && int64_t(bias->shape(0)) != int64_t(weights.shape(3)))
        raise_code(hk::StatusCode::shape_mismatch, "PackedConv2DWeights: bias has " + std::to_string(bias->shape(0)) +
                                                       " values for " + std::to_string(weights.shape(3)) +
                                                       " output channels");
    // Dense float32 views (a copy only of arrays that were not): pack() copies into the kernels' layout.
    const hk::FilterView w = hwio_view(weights, "PackedConv2DWeights");
    hk::PackedConv2DWeights packed;
    check(hk::PackedConv2DWeights::pack(w, bias ? bias->data() : nullptr, &packed));
    return packed;
}

PyConv2D conv_params(HK_CONV_PARAMS) {
    const Weights4D weights = float_array<Weights4D>(weights_obj, "conv2d: weights", 4,
                                                     "(kh, kw, in_channels, out_channels), HWIO");
    std::optional<Kernel1D> bias;
    if (!bias_obj.is_none()) bias = float_array<Kernel1D>(bias_obj, "conv2d: bias", 1, "(out_channels,)");
    PyConv2D c;
    c.layer.weights = hwio_view(weights, "conv2d");
    c.weights.assign(weights.data(), weights.data() + weights.size());
    if (bias) {
        if (int64_t(bias->shape(0)) != int64_t(weights.shape(3)))
            raise_code(hk::StatusCode::shape_mismatch, "conv2d: bias has " + std::to_string(bias->shape(0)) +
                                                           " values for " + std::to_string(weights.shape(3)) +
                                                           " output channels");
        c.bias.assign(bias->data(), bias->data() + bias->size());
    }
    c.layer.params = conv2d_params(strides, dilation, groups, padding, pads, activation, alpha);
    c.layer.weights.data = c.weights.data();
    c.layer.bias = c.bias.empty() ? nullptr : c.bias.data();
    return c;
}

struct PyGaborConv {
    PyConv2D conv;
    hk::GaborParams gabor;
    hk::GaborConvModel get() const {
        hk::Conv2DLayer l = conv.get();
        return hk::GaborConvModel{gabor, l.weights, l.bias, l.params};
    }
};

// A params class's repr: its fields as keyword arguments.
std::string fmt(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.9g", v);
    return b;
}
template <typename E>
std::string ename(E e) {
    for (const auto &[n, v] : EnumInfo<E>::items)
        if (v == e) return std::string("'") + n + "'";
    return "?";
}
std::string repr_of(const hk::GaborParams &p) {
    return "GaborParams(ksize_w=" + std::to_string(p.ksize_w) + ", ksize_h=" + std::to_string(p.ksize_h) +
           ", sigma=" + fmt(p.sigma) + ", theta=" + fmt(p.theta) + ", lambd=" + fmt(p.lambda) + ", gamma=" +
           fmt(p.gamma) + ", psi=" + fmt(p.psi) + ", border=" + ename(p.border) + ", padding=" + ename(p.padding) +
           ", channels=" + ename(p.channels) + ")";
}
std::string repr_of(const hk::BoxFilterParams &p) {
    return "BoxFilterParams(ksize_w=" + std::to_string(p.ksize_w) + ", ksize_h=" + std::to_string(p.ksize_h) +
           ", normalize=" + (p.normalize ? "True" : "False") + ", border=" + ename(p.border) + ", padding=" +
           ename(p.padding) + ", channels=" + ename(p.channels) + ")";
}

// Fills a new float32 numpy array of `shape` from `data`.
nb::object numpy_copy(const std::vector<float> &data, nb::tuple shape) {
    nb::object arr = numpy_empty()(shape, "float32");
    nb::ndarray<float> a = nb::cast<nb::ndarray<float>>(arr, false);
    std::memcpy(a.data(), data.data(), data.size() * sizeof(float));
    return arr;
}

// ---- Sequential: hk::Sequential with the input rank of its input_shape ---------------------
struct PySequential {
    hk::Sequential model;
    int rank;
    hk::Shape in_shape;
    PySequential(const hk::Shape &s, int r, hk::Device d) : model(s, d), rank(r), in_shape(s) {}
};

hk::Shape shape_from_tuple(const char *op, const std::vector<int64_t> &t) {
    if (t.size() == 2) return {1, t[0], t[1], 1};
    if (t.size() == 3) return {1, t[0], t[1], t[2]};
    if (t.size() == 4) return {t[0], t[1], t[2], t[3]};
    raise_code(hk::StatusCode::invalid_argument, std::string(op) + ": input_shape has " + std::to_string(t.size()) +
                                                     " values; give " + rank_doc);
}

const char *k_io_doc =
    "\n\n`input`: float32 or uint8 array of rank 2 (HW = 1xHxWx1), 3 (HWC = 1xHxWxC) or 4 (NHWC), any object "
    "with DLPack or the buffer protocol (numpy, PyTorch / JAX / TensorFlow CPU tensors), read without a copy; "
    "strided views work, channels must be contiguous. Returns a new float32 numpy array of the input's rank, or "
    "`out` (float32, the output's shape) filled in place. `device`: 'cpu', 'opencl', 'cuda' or 'automatic'.";

template <typename T>
struct Tag {
    using type = T;
};

std::string doc(const char *text, bool io = true) { return std::string(text) + (io ? k_io_doc : ""); }

}  // namespace

NB_MODULE(_hkernels, m) {
    m.doc() = "hkernels: ahead-of-time compiled Halide image filters and CNN layers (bindings of the hk:: C++ API).";

    // Errors: classes made in hkernels/_errors.py, looked up here so that both sides share them.
    {
        nb::module_ errors = nb::module_::import_("hkernels._errors");
        const char *names[6] = {nullptr,           "InvalidArgumentError", "ShapeMismatchError",
                                "UnsupportedError", "DeviceError",          "HkRuntimeError"};
        for (int i = 1; i < 6; i++) g_error_types[i] = errors.attr(names[i]).inc_ref().ptr();
    }

    bind_enum<hk::Border>(m);
    bind_enum<hk::Padding>(m);
    bind_enum<hk::ChannelMode>(m);
    bind_enum<hk::LowRank>(m);
    bind_enum<hk::FilterPath>(m);
    bind_enum<hk::GaborResponse>(m);
    bind_enum<hk::Stencil>(m);
    bind_enum<hk::Activation>(m);
    bind_enum<hk::PoolKind>(m);
    bind_enum<hk::Device>(m);
    bind_enum<hk::Fusion>(m);

    m.attr("LOW_RANK_TOLERANCE") = hk::kLowRankTolerance;
    m.attr("LOW_RANK_MAX_SIDE") = hk::kLowRankMaxSide;
    m.attr("FFT_MAX_SIDE") = hk::kFftMaxSide;
    m.attr("MAX_KERNEL_SIZE") = hk::kMaxKernelSize;
    m.attr("MAX_FUSED_CONV_EXTENT") = hk::kMaxFusedConvExtent;

    // ---- Devices and threads ----
    nb::class_<hk::DeviceInfo>(m, "DeviceInfo", "A device this build can run on, present on this machine.")
        .def_ro("device", &hk::DeviceInfo::device)
        .def_ro("name", &hk::DeviceInfo::name)
        .def_ro("is_gpu", &hk::DeviceInfo::is_gpu)
        .def("__repr__", [](const hk::DeviceInfo &d) {
            return std::string("DeviceInfo(device='") + hk::to_string(d.device) + "', name='" + d.name +
                   "', is_gpu=" + (d.is_gpu ? "True" : "False") + ")";
        });
    m.def("available_devices", [] { guard_opencl_probe(); return hk::available_devices(); },
          "Devices this build can run on, present on this machine (probed once, then cached).");
    m.def(
        "check_device", [](DeviceArg d) { check(hk::check_device(device_of(d))); }, "device"_a,
        "Returns None when `device` can run here; raises DeviceError naming the reason otherwise "
        "(not compiled in, no driver / ICD loader, no device).");
    m.def(
        "is_available", [](DeviceArg d) { return hk::check_device(device_of(d)).ok(); }, "device"_a,
        "True when `device` can run here (check_device says why not).");
    m.def(
        "resolve", [](DeviceArg d) { return hk::resolve(device_of(d)); }, "device"_a = "automatic",
        "The device Device.automatic stands for here (CUDA >= 8.0, else an OpenCL GPU, else the CPU); "
        "other values are returned as they are.");
    m.def("cpu_variant", &hk::cpu_variant,
          "The CPU variant Halide's dispatcher picked: 'avx512_skylake', 'avx2' or 'sse41' (cap it with "
          "HK_CPU_VARIANT=avx2|sse41 in the environment before the first call).");
    m.def(
        "set_num_threads", [](int n) { check(hk::set_num_threads(n)); }, "n"_a,
        "Threads used by CPU kernels (n >= 1; default: the number of cores, or HL_NUM_THREADS).");
    m.def("num_threads", &hk::num_threads, "Threads used by CPU kernels.");

    // ---- Filters ----
    m.def(
        "gabor",
        [](const InArray &input, HK_GABOR_PARAMS, DeviceArg device, nb::object out) {
            const hk::GaborParams p = gabor_params(HK_GABOR_NAMES);
            const hk::Device d = device_of(device);
            return run_op("gabor", input, p, out, true,
                          [&](const auto &i, const hk::Tensor &o) { return hk::gabor(i, o, p, d); });
        },
        "input"_a, nb::kw_only(), HK_GABOR_ARGS, "device"_a = "automatic", "out"_a = nb::none(),
        doc("Gabor filter with OpenCV getGaborKernel's parameters and conventions (`lambd` is the wavelength in "
            "pixels, as in OpenCV's Python binding): a (2*(ksize_w//2)+1) x (2*(ksize_h//2)+1) kernel applied as "
            "filter2D applies getGaborKernel's result. `ksize` sets both sides; `ksize_w` / `ksize_h` each one. "
            "`channels='sum'` sums the channels into one output channel.")
            .c_str());
    m.def(
        "gabor_bank",
        [](const InArray &input, HK_BANK_PARAMS, DeviceArg device, nb::object out) {
            const hk::GaborBankParams p = bank_params(HK_BANK_NAMES);
            const hk::Device d = device_of(device);
            return run_op("gabor_bank", input, p, out, true,
                          [&](const auto &i, const hk::Tensor &o) { return hk::gabor_bank(i, o, p, d); });
        },
        "input"_a, nb::kw_only(), HK_BANK_ARGS, "device"_a = "automatic", "out"_a = nb::none(),
        doc("A bank of Gabor filters (orientations x scales x phases) on every channel, in one pipeline. Output "
            "channel c * F + f for input channel c and filter f = (scale * len(thetas) + orientation) * "
            "len(psis) + phase, F = gabor_bank_size(...). `sigmas`: one per lambda, or empty for 0.56 lambda. "
            "`response`: 'real', 'imaginary' or 'magnitude'.")
            .c_str());
    m.def(
        "gabor_bank_size",
        [](std::vector<double> thetas, std::vector<double> lambdas, std::vector<double> psis) {
            hk::GaborBankParams p;
            p.thetas = std::move(thetas);
            p.lambdas = std::move(lambdas);
            p.psis = std::move(psis);
            return hk::gabor_bank_size(p);
        },
        nb::kw_only(), "thetas"_a, "lambdas"_a, "psis"_a = std::vector<double>{0.0},
        "Filters in a bank: len(thetas) * len(lambdas) * len(psis).");
    m.def(
        "box_filter",
        [](const InArray &input, HK_BOX_PARAMS, DeviceArg device, nb::object out) {
            const hk::BoxFilterParams p = box_params(HK_BOX_NAMES);
            const hk::Device d = device_of(device);
            return run_op("box_filter", input, p, out, true,
                          [&](const auto &i, const hk::Tensor &o) { return hk::box_filter(i, o, p, d); });
        },
        "input"_a, nb::kw_only(), HK_BOX_ARGS, "device"_a = "automatic", "out"_a = nb::none(),
        doc("Box (averaging) filter as OpenCV's boxFilter; cost per pixel independent of the window. "
            "`normalize=False` gives the window sum. `channels='sum'`: the box of the per-pixel channel sums.")
            .c_str());
    m.def(
        "filter2d",
        [](const InArray &input, HK_FILTER2D_PARAMS, DeviceArg device, nb::object out) {
            const PyFilter2D f = filter2d_params(HK_FILTER2D_NAMES);
            const hk::Filter2DParams p = f.params();
            const hk::Device d = device_of(device);
            return run_op("filter2d", input, p, out, true,
                          [&](const auto &i, const hk::Tensor &o) { return hk::filter2d(i, o, p, d); });
        },
        "input"_a, nb::kw_only(), HK_FILTER2D_ARGS, "device"_a = "automatic", "out"_a = nb::none(),
        doc("Any kernel, as OpenCV's filter2D (cross-correlation): out(x, y) = sum kernel[j, i] * in(x + i - "
            "anchor_x, y + j - anchor_y). `kernel`: a 2D float32 array (kh, kw) (other float dtypes are "
            "converted); anchor -1 = the centre. `activation` (with `alpha` for leaky_relu) is fused.")
            .c_str());
    m.def(
        "sep_filter2d",
        [](const InArray &input, HK_SEP_PARAMS, DeviceArg device, nb::object out) {
            const PySeparable s = sep_params(HK_SEP_NAMES);
            const hk::SeparableParams p = s.params();
            const hk::Device d = device_of(device);
            return run_op("sep_filter2d", input, p, out, true,
                          [&](const auto &i, const hk::Tensor &o) { return hk::sep_filter2d(i, o, p, d); });
        },
        "input"_a, nb::kw_only(), HK_SEP_ARGS, "device"_a = "automatic", "out"_a = nb::none(),
        doc("Two 1D kernels, as OpenCV's sepFilter2D: kernel_x along rows, then kernel_y along columns (the 2D "
            "kernel K[j, i] = kernel_y[j] * kernel_x[i]).")
            .c_str());
    m.def(
        "directional_derivative",
        [](const InArray &input, HK_DERIV_PARAMS, DeviceArg device, nb::object out) {
            const hk::DerivativeParams p = deriv_params(HK_DERIV_NAMES);
            const hk::Device d = device_of(device);
            return run_op("directional_derivative", input, p, out, true, [&](const auto &i, const hk::Tensor &o) {
                return hk::directional_derivative(i, o, p, d);
            });
        },
        "input"_a, nb::kw_only(), HK_DERIV_ARGS, "device"_a = "automatic", "out"_a = nb::none(),
        doc("Directional derivative along `theta` (radians, x right, y down): cos(theta) d/dx + sin(theta) d/dy "
            "(order 1) or the second derivative along theta (order 2), with OpenCV's Sobel / Scharr scaling or "
            "central differences.")
            .c_str());
    m.def(
        "gabor_kernel",
        [](HK_GABOR_PARAMS) {
            const hk::GaborParams p = gabor_params(HK_GABOR_NAMES);
            std::vector<float> k;
            int kw = 0, kh = 0;
            check(hk::gabor_kernel(p, &k, &kw, &kh));
            return numpy_copy(k, nb::make_tuple(kh, kw));
        },
        nb::kw_only(), HK_GABOR_ARGS,
        "The (kh, kw) kernel gabor applies, as OpenCV's getGaborKernel returns it (filter2D's orientation). "
        "border / padding / channels / low_rank are accepted and ignored.");
    m.def(
        "kernel_rank",
        [](nb::handle kernel_obj) {
            const Kernel2D kernel = float_array<Kernel2D>(kernel_obj, "kernel_rank: kernel", 2, "(kh, kw)");
            int rank = 0;
            check(hk::kernel_rank(kernel.data(), int(kernel.shape(1)), int(kernel.shape(0)), &rank));
            return rank;
        },
        "kernel"_a,
        "The rank filter2d's low-rank path finds for a (kh, kw) kernel: the number of separable passes it "
        "would run.");
    m.def(
        "derivative_kernel",
        [](HK_DERIV_PARAMS) {
            const hk::DerivativeParams p = deriv_params(HK_DERIV_NAMES);
            std::vector<float> k(9);
            check(hk::derivative_kernel(p, k.data()));
            return numpy_copy(k, nb::make_tuple(3, 3));
        },
        nb::kw_only(), HK_DERIV_ARGS,
        "The 3x3 kernel (filter2D orientation) directional_derivative applies.");

    // ---- Layers ----
    m.def(
        "activation",
        [](const InArray &input, ActivationArg kind, double alpha, DeviceArg device, nb::object out) {
            const hk::ActivationParams p = activation_params(kind, alpha);
            const hk::Device d = device_of(device);
            return run_op("activation", input, p, out, false,
                          [&](const hk::ConstTensor &i, const hk::Tensor &o) { return hk::activation(i, o, p, d); });
        },
        "input"_a, "kind"_a, nb::kw_only(), "alpha"_a = 0.2, "device"_a = "automatic", "out"_a = nb::none(),
        doc("out = kind(input), elementwise, TensorFlow's semantics (float32 input). `alpha`: leaky_relu's "
            "slope. out may be the input (in place).")
            .c_str());
    m.def(
        "pool2d",
        [](const InArray &input, HK_POOL_PARAMS, DeviceArg device, nb::object out) {
            const hk::Pool2DParams p = pool_params(HK_POOL_NAMES);
            const hk::Device d = device_of(device);
            return run_op("pool2d", input, p, out, false,
                          [&](const hk::ConstTensor &i, const hk::Tensor &o) { return hk::pool2d(i, o, p, d); });
        },
        "input"_a, nb::kw_only(), HK_POOL_ARGS, "device"_a = "automatic", "out"_a = nb::none(),
        doc("Max / average pooling with TensorFlow's padding rules (float32 input). `window` and `strides`: n or "
            "(h, w); strides default to the window (as Keras' pool_size). `pads`: (top, bottom, left, right) for "
            "padding='explicit_pads'. Padded cells are ignored unless count_include_pad.")
            .c_str());
    m.def(
        "conv2d",
        [](const InArray &input, HK_CONV_PARAMS, DeviceArg device, nb::object out) {
            if (nb::isinstance<hk::PackedConv2DWeights>(weights_obj)) {
                if (!bias_obj.is_none())
                    raise_code(hk::StatusCode::invalid_argument,
                               "conv2d: packed weights carry their bias; pass bias=None");
                const hk::PackedConv2DLayer l{nb::cast<hk::PackedConv2DWeights>(weights_obj),
                                              conv2d_params(strides, dilation, groups, padding, pads, activation, alpha)};
                const hk::Device d = device_of(device);
                return run_op("conv2d", input, l, out, false, [&](const hk::ConstTensor &i, const hk::Tensor &o) {
                    return hk::conv2d(i, l.weights, o, l.params, d);
                });
            }
            const PyConv2D c = conv_params(HK_CONV_NAMES);
            const hk::Conv2DLayer l = c.get();
            const hk::Device d = device_of(device);
            return run_op("conv2d", input, l, out, false, [&](const hk::ConstTensor &i, const hk::Tensor &o) {
                return hk::conv2d(i, l.weights, l.bias, o, l.params, d);
            });
        },
        "input"_a, HK_CONV_ARGS, nb::kw_only(), "device"_a = "automatic", "out"_a = nb::none(),
        doc("tf.nn.conv2d (cross-correlation) + bias + activation (float32 input). `weights`: HWIO (kh, kw, "
            "in_channels per group, out_channels), or a PackedConv2DWeights (then bias=None: it holds the bias); "
            "`bias`: out_channels values or None; `strides` / `dilation`: n "
            "or (h, w); `groups` (depthwise: groups = C, weights (kh, kw, 1, C * M)); `padding`: 'valid' (Keras' "
            "default), 'same' or 'explicit_pads' with `pads` = (top, bottom, left, right).")
            .c_str());

    nb::class_<hk::PackedConv2DWeights>(
        m, "PackedConv2DWeights",
        "conv2d weights (HWIO) and bias (or None: zeros), checked and copied once into the layout the kernels "
        "read; conv2d(input, packed, ...) then reads them in place (checking only their shape against the "
        "input), where conv2d on an HWIO array packs a copy per call unless out_channels is a multiple of 16.")
        .def(
            "__init__",
            [](hk::PackedConv2DWeights *self, nb::handle weights, nb::handle bias) {
                new (self) hk::PackedConv2DWeights(packed_conv_weights(weights, bias));
            },
            "weights"_a, "bias"_a = nb::none())
        .def_prop_ro(
            "shape",
            [](const hk::PackedConv2DWeights &p) {
                const hk::FilterView v = p.shape();
                return nb::make_tuple(v.kh, v.kw, v.in_channels, v.out_channels);
            },
            "(kh, kw, in_channels, out_channels)");

    // ---- Params classes: for Sequential and run_model ----
    nb::class_<hk::GaborParams>(m, "GaborParams", "gabor's parameters, for Sequential.add and GaborConvModel.")
        .def(
            "__init__", [](hk::GaborParams *self, HK_GABOR_PARAMS) { new (self) hk::GaborParams(gabor_params(HK_GABOR_NAMES)); },
            nb::kw_only(), HK_GABOR_ARGS)
        .def_rw("ksize_w", &hk::GaborParams::ksize_w)
        .def_rw("ksize_h", &hk::GaborParams::ksize_h)
        .def_rw("sigma", &hk::GaborParams::sigma)
        .def_rw("theta", &hk::GaborParams::theta)
        .def_rw("lambd", &hk::GaborParams::lambda)
        .def_rw("gamma", &hk::GaborParams::gamma)
        .def_rw("psi", &hk::GaborParams::psi)
        .def_rw("border", &hk::GaborParams::border)
        .def_rw("padding", &hk::GaborParams::padding)
        .def_rw("channels", &hk::GaborParams::channels)
        .def_rw("low_rank", &hk::GaborParams::low_rank)
        .def_rw("path", &hk::GaborParams::path)
        .def("__repr__", [](const hk::GaborParams &p) { return repr_of(p); });
    nb::class_<hk::GaborBankParams>(m, "GaborBankParams", "gabor_bank's parameters, for Sequential.add.")
        .def(
            "__init__", [](hk::GaborBankParams *self, HK_BANK_PARAMS) { new (self) hk::GaborBankParams(bank_params(HK_BANK_NAMES)); },
            nb::kw_only(), HK_BANK_ARGS)
        .def_rw("thetas", &hk::GaborBankParams::thetas)
        .def_rw("lambdas", &hk::GaborBankParams::lambdas)
        .def_rw("sigmas", &hk::GaborBankParams::sigmas)
        .def_rw("psis", &hk::GaborBankParams::psis)
        .def_rw("gamma", &hk::GaborBankParams::gamma)
        .def_rw("response", &hk::GaborBankParams::response);
    nb::class_<hk::BoxFilterParams>(m, "BoxFilterParams", "box_filter's parameters, for Sequential.add and BoxPoolModel.")
        .def(
            "__init__", [](hk::BoxFilterParams *self, HK_BOX_PARAMS) { new (self) hk::BoxFilterParams(box_params(HK_BOX_NAMES)); },
            nb::kw_only(), HK_BOX_ARGS)
        .def_rw("ksize_w", &hk::BoxFilterParams::ksize_w)
        .def_rw("ksize_h", &hk::BoxFilterParams::ksize_h)
        .def_rw("normalize", &hk::BoxFilterParams::normalize)
        .def_rw("border", &hk::BoxFilterParams::border)
        .def_rw("padding", &hk::BoxFilterParams::padding)
        .def_rw("channels", &hk::BoxFilterParams::channels)
        .def("__repr__", [](const hk::BoxFilterParams &p) { return repr_of(p); });
    nb::class_<PyFilter2D>(m, "Filter2DParams", "filter2d's parameters (the kernel copied), for Sequential.add.")
        .def(
            "__init__", [](PyFilter2D *self, HK_FILTER2D_PARAMS) { new (self) PyFilter2D(filter2d_params(HK_FILTER2D_NAMES)); },
            nb::kw_only(), HK_FILTER2D_ARGS)
        .def_prop_ro("kernel", [](const PyFilter2D &f) { return numpy_copy(f.kernel, nb::make_tuple(f.p.kh, f.p.kw)); });
    nb::class_<PySeparable>(m, "SeparableParams", "sep_filter2d's parameters (the kernels copied), for Sequential.add.")
        .def(
            "__init__", [](PySeparable *self, HK_SEP_PARAMS) { new (self) PySeparable(sep_params(HK_SEP_NAMES)); },
            nb::kw_only(), HK_SEP_ARGS);
    nb::class_<hk::DerivativeParams>(m, "DerivativeParams", "directional_derivative's parameters, for Sequential.add and DerivativeActivationModel.")
        .def(
            "__init__", [](hk::DerivativeParams *self, HK_DERIV_PARAMS) { new (self) hk::DerivativeParams(deriv_params(HK_DERIV_NAMES)); },
            nb::kw_only(), HK_DERIV_ARGS)
        .def_rw("theta", &hk::DerivativeParams::theta)
        .def_rw("order", &hk::DerivativeParams::order)
        .def_rw("stencil", &hk::DerivativeParams::stencil)
        .def_rw("border", &hk::DerivativeParams::border);
    nb::class_<hk::ActivationParams>(m, "ActivationParams", "activation's parameters, for Sequential.add.")
        .def(
            "__init__", [](hk::ActivationParams *self, ActivationArg kind, double alpha) { new (self) hk::ActivationParams(activation_params(kind, alpha)); },
            "kind"_a, nb::kw_only(), "alpha"_a = 0.2)
        .def_rw("kind", &hk::ActivationParams::kind)
        .def_rw("alpha", &hk::ActivationParams::alpha);
    nb::class_<hk::Pool2DParams>(m, "Pool2DParams", "pool2d's parameters, for Sequential.add and BoxPoolModel.")
        .def(
            "__init__", [](hk::Pool2DParams *self, HK_POOL_PARAMS) { new (self) hk::Pool2DParams(pool_params(HK_POOL_NAMES)); },
            nb::kw_only(), HK_POOL_ARGS)
        .def_rw("kind", &hk::Pool2DParams::kind)
        .def_rw("window_h", &hk::Pool2DParams::window_h)
        .def_rw("window_w", &hk::Pool2DParams::window_w)
        .def_rw("stride_h", &hk::Pool2DParams::stride_h)
        .def_rw("stride_w", &hk::Pool2DParams::stride_w)
        .def_rw("padding", &hk::Pool2DParams::padding)
        .def_rw("count_include_pad", &hk::Pool2DParams::count_include_pad);
    nb::class_<PyConv2D>(m, "Conv2DLayer", "conv2d's weights, bias and parameters (copied), for Sequential.add.")
        .def(
            "__init__", [](PyConv2D *self, HK_CONV_PARAMS) { new (self) PyConv2D(conv_params(HK_CONV_NAMES)); },
            HK_CONV_ARGS);

    // ---- The seed's models ----
    nb::class_<PyGaborConv>(m, "GaborConvModel",
                            "The seed's model 1: Gabor filter on each channel (SAME), then conv2d with bias and "
                            "activation. `conv`: a Conv2DLayer.")
        .def(
            "__init__",
            [](PyGaborConv *self, const hk::GaborParams &gabor, const PyConv2D &conv) {
                new (self) PyGaborConv{conv, gabor};
            },
            "gabor"_a, "conv"_a);
    nb::class_<hk::BoxPoolModel>(m, "BoxPoolModel", "The seed's model 2: box filter on each channel (SAME), then pooling.")
        .def(
            "__init__",
            [](hk::BoxPoolModel *self, const hk::BoxFilterParams &box, const hk::Pool2DParams &pool) {
                new (self) hk::BoxPoolModel{box, pool};
            },
            "box"_a, "pool"_a);
    nb::class_<hk::DerivativeActivationModel>(m, "DerivativeActivationModel",
                                              "The seed's model 3: directional derivative, then an activation.")
        .def(
            "__init__",
            [](hk::DerivativeActivationModel *self, const hk::DerivativeParams &derivative,
               const hk::ActivationParams &activation) {
                new (self) hk::DerivativeActivationModel{derivative, activation};
            },
            "derivative"_a, "activation"_a);

    const std::string model_doc =
        doc("Runs one of the seed's corrected models, fused (one pipeline) or unfused (the hk ops one after "
            "another), float32 input.");
    m.def(
        "run_model",
        [](const InArray &input, const PyGaborConv &model, FusionArg fusion, DeviceArg device, nb::object out) {
            const hk::GaborConvModel mm = model.get();
            const hk::Fusion f = to_enum(fusion, "fusion");
            const hk::Device d = device_of(device);
            return run_op("run_model", input, mm, out, false, [&](const hk::ConstTensor &i, const hk::Tensor &o) {
                return hk::run_model(i, o, mm, f, d);
            });
        },
        "input"_a, "model"_a, nb::kw_only(), "fusion"_a = "fused", "device"_a = "automatic", "out"_a = nb::none(),
        model_doc.c_str());
    m.def(
        "run_model",
        [](const InArray &input, const hk::BoxPoolModel &model, FusionArg fusion, DeviceArg device, nb::object out) {
            const hk::Fusion f = to_enum(fusion, "fusion");
            const hk::Device d = device_of(device);
            return run_op("run_model", input, model, out, false, [&](const hk::ConstTensor &i, const hk::Tensor &o) {
                return hk::run_model(i, o, model, f, d);
            });
        },
        "input"_a, "model"_a, nb::kw_only(), "fusion"_a = "fused", "device"_a = "automatic", "out"_a = nb::none());
    m.def(
        "run_model",
        [](const InArray &input, const hk::DerivativeActivationModel &model, FusionArg fusion, DeviceArg device,
           nb::object out) {
            const hk::Fusion f = to_enum(fusion, "fusion");
            const hk::Device d = device_of(device);
            return run_op("run_model", input, model, out, false, [&](const hk::ConstTensor &i, const hk::Tensor &o) {
                return hk::run_model(i, o, model, f, d);
            });
        },
        "input"_a, "model"_a, nb::kw_only(), "fusion"_a = "fused", "device"_a = "automatic", "out"_a = nb::none());

    // ---- Output shapes: hk::output_shape for every params class ----
    {
        const char *shape_doc =
            "The output shape an op with these parameters gives for an input of `input_shape` (2: HW, 3: HWC or 4: "
            "NHWC values), in the same form (HW with several output channels gives HWC); raises the error a run "
            "would raise.";
        auto def_shape = [&](auto tag, auto get) {
            using T = typename decltype(tag)::type;
            m.def(
                "output_shape",
                [get](const std::vector<int64_t> &input_shape, const T &params) {
                    const hk::Shape in = shape_from_tuple("output_shape", input_shape);
                    hk::Shape out;
                    check(hk::output_shape(in, get(params), &out));
                    return shape_tuple(out, int(input_shape.size()));
                },
                "input_shape"_a, "params"_a, shape_doc);
        };
        auto same = [](const auto &p) -> const auto & { return p; };
        def_shape(Tag<hk::GaborParams>{}, same);
        def_shape(Tag<hk::GaborBankParams>{}, same);
        def_shape(Tag<hk::BoxFilterParams>{}, same);
        def_shape(Tag<PyFilter2D>{}, [](const PyFilter2D &f) { return f.params(); });
        def_shape(Tag<PySeparable>{}, [](const PySeparable &f) { return f.params(); });
        def_shape(Tag<hk::DerivativeParams>{}, same);
        def_shape(Tag<hk::ActivationParams>{}, same);
        def_shape(Tag<hk::Pool2DParams>{}, same);
        def_shape(Tag<PyConv2D>{}, [](const PyConv2D &c) { return c.get(); });
        def_shape(Tag<PyGaborConv>{}, [](const PyGaborConv &g) { return g.get(); });
        def_shape(Tag<hk::BoxPoolModel>{}, same);
        def_shape(Tag<hk::DerivativeActivationModel>{}, same);
    }

    // ---- Benchmark support (python/bench/bench_python.py): the C++ call alone ----
    m.def(
        "_cpp_box_filter_seconds",
        [](const InArray &input, nb::object out, int ksize, int repeats) {
            hk::BoxFilterParams p;
            p.ksize_w = p.ksize_h = ksize;
            const Input in = input_of("_cpp_box_filter_seconds", input, false);
            hk::Shape shape;
            check(hk::output_shape(in.view.shape, p, &shape));
            Output o = output_of("_cpp_box_filter_seconds", out, shape, in.view.rank);
            const hk::ConstTensor t = in.tensor<float>();
            std::vector<double> times;
            {
                nb::gil_scoped_release release;
                for (int r = 0; r < repeats; r++) {
                    const auto t0 = std::chrono::steady_clock::now();
                    hk::Status s = hk::box_filter(t, o.tensor, p, hk::Device::cpu);
                    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
                    if (!s.ok()) break;
                }
            }
            return times;
        },
        "input"_a, "out"_a, "ksize"_a, "repeats"_a,
        "Benchmark support: seconds of each of `repeats` direct C++ hk::box_filter calls (CPU), no Python.");

    // ---- Sequential ----
    auto seq = nb::class_<PySequential>(
        m, "Sequential",
        "hk layers run one after another, like a Keras Sequential: add() params objects (GaborParams, "
        "GaborBankParams, BoxFilterParams, Filter2DParams, SeparableParams, DerivativeParams, ActivationParams, "
        "Pool2DParams, Conv2DLayer, GaborConvModel, BoxPoolModel), build() (checks every layer's shape), then "
        "call it on float32 inputs of `input_shape` (2: HW, 3: HWC or 4: NHWC values). On GPUs the "
        "intermediates stay on the device.");
    seq.def(
        "__init__",
        [](PySequential *self, const std::vector<int64_t> &input_shape, DeviceArg device) {
            const hk::Shape s = shape_from_tuple("Sequential", input_shape);
            new (self) PySequential(s, int(input_shape.size()), device_of(device));
        },
        "input_shape"_a, "device"_a = "automatic");
#define HK_SEQ_ADD(T, GET)                                                                \
    seq.def(                                                                              \
        "add",                                                                            \
        [](nb::handle self, const T &layer) {                                             \
            nb::inst_ptr<PySequential>(self)->model.add(GET);                              \
            return nb::borrow(self);                                                      \
        },                                                                                \
        "layer"_a, nb::sig("def add(self, layer: " #T ") -> Sequential"));
    {
        // Python-visible names of the param classes in the stub signatures.
        using GaborParams = hk::GaborParams;
        using GaborBankParams = hk::GaborBankParams;
        using BoxFilterParams = hk::BoxFilterParams;
        using Filter2DParams = PyFilter2D;
        using SeparableParams = PySeparable;
        using DerivativeParams = hk::DerivativeParams;
        using ActivationParams = hk::ActivationParams;
        using Pool2DParams = hk::Pool2DParams;
        using Conv2DLayer = PyConv2D;
        using GaborConvModel = PyGaborConv;
        using BoxPoolModel = hk::BoxPoolModel;
        HK_SEQ_ADD(GaborParams, layer)
        HK_SEQ_ADD(GaborBankParams, layer)
        HK_SEQ_ADD(BoxFilterParams, layer)
        HK_SEQ_ADD(Filter2DParams, layer.params())
        HK_SEQ_ADD(SeparableParams, layer.params())
        HK_SEQ_ADD(DerivativeParams, layer)
        HK_SEQ_ADD(ActivationParams, layer)
        HK_SEQ_ADD(Pool2DParams, layer)
        HK_SEQ_ADD(Conv2DLayer, layer.get())
        HK_SEQ_ADD(GaborConvModel, layer.get())
        HK_SEQ_ADD(BoxPoolModel, layer)
    }
#undef HK_SEQ_ADD
    seq.def(
           "build", [](PySequential &s) { check(s.model.build()); },
           "Checks every layer fits the previous one's output (naming the one that does not), plans each layer "
           "and allocates the intermediates once. Raises on a misfit.")
        .def_prop_ro("built", [](const PySequential &s) { return s.model.built(); })
        .def_prop_ro(
            "output_shape",
            [](const PySequential &s) {
                if (!s.model.built())
                    raise_code(hk::StatusCode::invalid_argument, "Sequential: output_shape before build()");
                return shape_tuple(s.model.output_shape(), s.rank);
            },
            "The output shape (after build()), in the rank of input_shape.")
        .def("__len__", [](const PySequential &s) { return s.model.size(); })
        .def(
            "__call__",
            [](PySequential &s, const InArray &input, nb::object out) {
                if (!s.model.built()) check(s.model.build());
                const Input in = input_of("Sequential", input, false);
                if (in.view.shape != s.in_shape)
                    raise_code(hk::StatusCode::shape_mismatch, "Sequential: input has NHWC shape " +
                                                                   nhwc_str(in.view.shape) + ", the model was built for " +
                                                                   nhwc_str(s.in_shape));
                Output o = output_of("Sequential", out, s.model.output_shape(), s.rank);
                hk::Status st;
                {
                    nb::gil_scoped_release release;
                    st = s.model.run(in.tensor<float>(), o.tensor);
                }
                check(st);
                return o.array;
            },
            "input"_a, nb::kw_only(), "out"_a = nb::none(),
            "Runs the model (building it first if needed) on a float32 input of input_shape.");
}

// Image filters over NHWC tensors: float32 or uint8 in, float32 out. Each channel is filtered
// on its own (ChannelMode::per_channel) or the channels are summed (ChannelMode::sum).
#pragma once
#include <vector>

#include "hk/activation.h"
#include "hk/enums.h"
#include "hk/device.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk {

// Output size. same: output = input size (the border supplies the missing neighbours); for
// strided layers, TensorFlow's SAME (output = ceil(input / stride), the odd extra pad cell at
// the bottom/right). Filters anchor their window as OpenCV does: at k/2 (or anchor_x/y), so an
// even kernel reaches k/2 pixels before and k/2 - 1 after; TensorFlow's SAME puts the odd cell
// after instead ((k - 1)/2 before, k/2 after), one pixel apart: for TensorFlow's placement of an
// even kernel set anchor = (k - 1)/2, or use conv2d. valid: only windows fully inside the input; output shrinks by
// (kernel size - 1). explicit_pads: the layer's `pads` (conv2d and pooling only).
enum class Padding { same, valid, explicit_pads };

// Zero padding on each side, for Padding::explicit_pads.
struct Pads {
    int top = 0, bottom = 0, left = 0, right = 0;
};

// per_channel: output has the input's channels, each filtered alone (depthwise).
// sum: one output channel, the sum of every channel filtered with the same kernel -- what
// tf.nn.conv2d computes with a [kh, kw, C, 1] kernel equal across channels (the seed's
// averaging filter). For distinct per-channel weights use hk::conv2d.
enum class ChannelMode { per_channel, sum };

// Kernels of low rank run as a sum of separable passes (rank * (kw + kh) taps per pixel instead
// of kw * kh) when that is clearly cheaper (a separable tap costs ~4 direct ones today) and the
// factorization's residual satisfies
// sum |K - K_rank| <= kLowRankTolerance * sum |K|; the output then differs from the direct 2D
// filter by at most kLowRankTolerance * sum |K| * max |input| (plus float rounding).
// Kernels larger than kLowRankMaxSide per side always run directly.
enum class LowRank { automatic, off };
constexpr double kLowRankTolerance = 1e-6;
constexpr int kLowRankMaxSide = 63;

// How Gabor and filter2d apply a kernel that is not of low rank (low rank, when LowRank allows it
// and it pays, comes first):
//   direct: kw * kh taps per pixel;
//   fft:    tiled overlap-save FFTs (128 x 128 tiles, 96 x 96 output pixels each), a cost per
//           pixel that does not grow with the kernel; kernels up to kFftMaxSide per side, no
//           fused activation, CPU only. Error: |out - exact| <= 150 u sqrt(2) 128 max|input|
//           sum|kernel| (u = 2^-24; generators/fft.h derives it), about 1.6e-3 max|input|
//           sum|kernel|; in practice ~100x below that;
//   automatic: fft where the cost model (measured per tile and per tap on the CPU) says it is
//           faster than direct taps; direct on GPUs. filter_method() tells which a call runs.
enum class FilterPath { automatic, direct, fft };
constexpr int kFftMaxSide = 33;
constexpr int kFftSize = 128;  // the FFT tile side; blocks of kFftSize - kFftMaxSide + 1 output pixels

// Gabor filter with the parameters and conventions of OpenCV's getGaborKernel:
// a (2*(ksize_w/2)+1) x (2*(ksize_h/2)+1) kernel (even sizes round up, as in OpenCV),
//   g(x, y) = exp(-(x'^2 + gamma^2 y'^2) / (2 sigma^2)) * cos(2 pi x' / lambda + psi),
//   x' = x cos(theta) + y sin(theta), y' = -x sin(theta) + y cos(theta),
// applied as filter2D applies getGaborKernel's result. getGaborKernel stores g mirrored: its
// kernel[j][i] = g(xmax - i, ymax - j) with xmax = ksize_w/2, ymax = ksize_h/2, so filter2D's
// correlation with it is a convolution with g: out(x, y) = sum g(u, v) in(x - u, y - v). A kernel
// written from the formula above without the mirror is flipped: the same only for psi = 0 or
// pi, negated at OpenCV's default psi = pi/2. gabor_kernel() returns the stored (mirrored) kernel. The kernel is
// computed inside the pipeline from these values, so any of them can change from call to call.
struct GaborParams {
    int ksize_w = 0, ksize_h = 0;  // >= 1
    double sigma = 0;              // > 0, Gaussian envelope
    double theta = 0;              // orientation, radians
    double lambda = 0;             // > 0, wavelength of the cosine, pixels
    double gamma = 1;              // > 0, spatial aspect ratio
    double psi = 1.5707963267948966;  // phase offset (OpenCV's default, pi/2)
    Border border = Border::reflect101;
    Padding padding = Padding::same;
    ChannelMode channels = ChannelMode::per_channel;
    // A Gabor kernel of low rank (any angle at gamma = 1: rank 2; theta = 0 or pi/2: rank 1)
    // runs as that many separable passes, within LowRank's tolerance (above).
    LowRank low_rank = LowRank::automatic;
    FilterPath path = FilterPath::automatic;  // direct taps or FFTs (above)
};

// A bank of Gabor filters -- orientations x scales x phases -- applied to every channel in one
// pipeline. Output channel c * F + f for input channel c and filter
// f = (scale * thetas.size() + orientation) * psis.size() + phase, F = gabor_bank_size(p).
// Each filter is GaborParams{ksize, sigmas[scale], thetas[orientation], lambdas[scale], gamma,
// psis[phase]}; the response is its real part (as hk::gabor), the imaginary part (psi - pi/2),
// or the magnitude sqrt(real^2 + imaginary^2) (phase-invariant: give one psi).
enum class GaborResponse { real, imaginary, magnitude };

struct GaborBankParams {
    int ksize_w = 0, ksize_h = 0;
    std::vector<double> thetas;      // orientations, radians
    std::vector<double> lambdas;     // scales: wavelengths, pixels
    std::vector<double> sigmas;      // one per lambda; empty: 0.56 lambda (one-octave bandwidth)
    std::vector<double> psis{0.0};   // phases
    double gamma = 0.5;
    GaborResponse response = GaborResponse::real;
    Border border = Border::reflect101;
    Padding padding = Padding::same;
};

// Filters in a bank: thetas x lambdas x psis.
int gabor_bank_size(const GaborBankParams &p);

// Box (averaging) filter, as OpenCV's boxFilter: the window of output (x, y) spans columns
// [x - ksize_w/2, x - ksize_w/2 + ksize_w - 1] and likewise rows. Cost per pixel does not
// depend on the window size, in either channel mode. Running sums restart every max(32, k)
// samples, so the error stays within the first-order bound tests/filters_test.cpp derives:
// about 6 max(32, k) u max|x| for a normalized k x k box (u = 2^-24), in sum mode with max|x|
// the largest channel sum.
struct BoxFilterParams {
    int ksize_w = 0, ksize_h = 0;  // >= 1
    bool normalize = true;         // divide by ksize_w * ksize_h (average) or not (sum)
    Border border = Border::reflect101;
    Padding padding = Padding::same;
    ChannelMode channels = ChannelMode::per_channel;  // sum: the box of the per-pixel channel sums
};

// Any kernel, as OpenCV's filter2D: cross-correlation, out(x, y) = sum_ij
// kernel[j * kw + i] * in(x + i - anchor_x, y + j - anchor_y). The kernel is copied per call.
struct Filter2DParams {
    const float *kernel = nullptr;  // kh rows of kw values
    int kw = 0, kh = 0;
    int anchor_x = -1, anchor_y = -1;  // -1: the centre, kw / 2 and kh / 2 (OpenCV's default)
    Border border = Border::reflect101;
    Padding padding = Padding::same;
    ChannelMode channels = ChannelMode::per_channel;
    ActivationParams activation;  // fused into the output; none by default
    LowRank low_rank = LowRank::automatic;
    FilterPath path = FilterPath::automatic;  // direct taps or FFTs (above)
};

// Two 1D kernels, as OpenCV's sepFilter2D: kernel_x along rows, then kernel_y along columns,
// i.e. the 2D kernel K(j, i) = kernel_y[j] * kernel_x[i].
struct SeparableParams {
    const float *kernel_x = nullptr;
    int kw = 0;
    const float *kernel_y = nullptr;
    int kh = 0;
    int anchor_x = -1, anchor_y = -1;  // -1: the centre
    Border border = Border::reflect101;
    Padding padding = Padding::same;
    ChannelMode channels = ChannelMode::per_channel;
    ActivationParams activation;  // fused into the output; none by default
};

// The rank filter2d's low-rank path finds for a kernel (kh rows of kw values): the number of
// separable passes it would run (kw * kh limits aside).
Status kernel_rank(const float *kernel, int kw, int kh, int *rank);

// getGaborKernel: the (2*(ksize_w/2)+1) x (2*(ksize_h/2)+1) kernel hk::gabor applies, row-major,
// in filter2D's orientation.
Status gabor_kernel(const GaborParams &p, std::vector<float> *kernel, int *kw, int *kh);

// What a call with these parameters on an input of shape `in` runs: "direct", "low_rank" or
// "fft" (what LowRank and FilterPath::automatic resolve to; the bench prints it), or "invalid"
// when the call would fail.
const char *filter_method(const Shape &in, const GaborParams &p, Device device = Device::cpu);
const char *filter_method(const Shape &in, const Filter2DParams &p, Device device = Device::cpu);

// Directional derivative along theta: cos(theta) d/dx + sin(theta) d/dy (first order) or
// cos^2 d2/dx2 + 2 sin cos d2/dxdy + sin^2 d2/dy2 (second order), x to the right, y down.
// Stencils, unnormalized as OpenCV's Sobel/Scharr return them:
//   central: d/dx = (f(x+1) - f(x-1)) / 2, d2/dx2 = f(x+1) - 2 f(x) + f(x-1)
//   sobel:   cv::Sobel with ksize 3 (d/dx is 8 times the smoothed central difference)
//   scharr:  cv::Scharr (first order only, as in OpenCV)
// Not the seed's [1, 1] kernel: that one sums two neighbours and responds to brightness,
// not to change; a derivative's kernel sums to zero.
enum class Stencil { central, sobel, scharr };

struct DerivativeParams {
    double theta = 0;  // radians
    int order = 1;     // 1 or 2
    Stencil stencil = Stencil::sobel;
    Border border = Border::reflect101;
    Padding padding = Padding::same;
    ChannelMode channels = ChannelMode::per_channel;
    ActivationParams activation;  // fused into the output; none by default
};

// The 3x3 kernel (row-major, filter2D orientation) directional_derivative applies.
Status derivative_kernel(const DerivativeParams &p, float kernel[9]);

// Largest kernel side accepted (a larger one is almost certainly a bug, as in a Gabor
// kernel sized like the image).
constexpr int kMaxKernelSize = 1023;

// The output shape an op produces for an input of shape `in`, in *out. Every op (filters here,
// layers in layers.h, models in models.h) has this one form: it checks the input shape and
// the parameters as a run on the CPU would, and returns that run's error if it would fail.
Status output_shape(const Shape &in, const GaborParams &p, Shape *out);
Status output_shape(const Shape &in, const BoxFilterParams &p, Shape *out);
Status output_shape(const Shape &in, const Filter2DParams &p, Shape *out);
Status output_shape(const Shape &in, const DerivativeParams &p, Shape *out);
Status output_shape(const Shape &in, const SeparableParams &p, Shape *out);
Status output_shape(const Shape &in, const GaborBankParams &p, Shape *out);

// out must have the shape output_shape(in.shape, p, &shape) gives and must not overlap in. Each takes a float32 or a
// uint8 input (values as they are, 0..255); the output is float32.
Status gabor(const ConstTensor &in, const Tensor &out, const GaborParams &p,
             Device device = Device::automatic);
Status gabor(const ConstTensorU8 &in, const Tensor &out, const GaborParams &p,
             Device device = Device::automatic);
Status gabor_bank(const ConstTensor &in, const Tensor &out, const GaborBankParams &p,
                  Device device = Device::automatic);
Status gabor_bank(const ConstTensorU8 &in, const Tensor &out, const GaborBankParams &p,
                  Device device = Device::automatic);
Status box_filter(const ConstTensor &in, const Tensor &out, const BoxFilterParams &p,
                  Device device = Device::automatic);
Status box_filter(const ConstTensorU8 &in, const Tensor &out, const BoxFilterParams &p,
                  Device device = Device::automatic);
Status filter2d(const ConstTensor &in, const Tensor &out, const Filter2DParams &p,
                Device device = Device::automatic);
Status filter2d(const ConstTensorU8 &in, const Tensor &out, const Filter2DParams &p,
                Device device = Device::automatic);
Status sep_filter2d(const ConstTensor &in, const Tensor &out, const SeparableParams &p,
                    Device device = Device::automatic);
Status sep_filter2d(const ConstTensorU8 &in, const Tensor &out, const SeparableParams &p,
                    Device device = Device::automatic);
Status directional_derivative(const ConstTensor &in, const Tensor &out, const DerivativeParams &p,
                              Device device = Device::automatic);
Status directional_derivative(const ConstTensorU8 &in, const Tensor &out,
                              const DerivativeParams &p, Device device = Device::automatic);

}  // namespace hk

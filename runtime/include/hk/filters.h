// Image filters over NHWC float32 tensors. Each channel is filtered independently.
#pragma once
#include "hk/device.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk {

// What the filter reads outside the image (OpenCV's names in brackets).
enum class Border {
    zero,        // constant 0                      [BORDER_CONSTANT, value 0]
    replicate,   // edge pixel repeated: aaa|abcd|ddd [BORDER_REPLICATE]
    reflect101,  // mirror without the edge: cb|abcd|cb [BORDER_REFLECT_101, OpenCV's default]
};

// Output size. same: output = input size (the border supplies the missing neighbours); for
// strided layers, TensorFlow's SAME (output = ceil(input / stride), the odd extra pad cell at
// the bottom/right). valid: only windows fully inside the input; output shrinks by
// (kernel size - 1). explicit_pads: the layer's `pads` (conv2d and pooling only).
enum class Padding { same, valid, explicit_pads };

// Zero padding on each side, for Padding::explicit_pads.
struct Pads {
    int top = 0, bottom = 0, left = 0, right = 0;
};

// Gabor filter with the parameters and conventions of OpenCV's getGaborKernel:
// a (2*(ksize_w/2)+1) x (2*(ksize_h/2)+1) kernel (even sizes round up, as in OpenCV),
//   g(x, y) = exp(-(x'^2 + gamma^2 y'^2) / (2 sigma^2)) * cos(2 pi x' / lambda + psi),
//   x' = x cos(theta) + y sin(theta), y' = -x sin(theta) + y cos(theta),
// applied as filter2D applies getGaborKernel's result. The kernel is computed inside the
// pipeline from these values, so any of them can change from call to call.
struct GaborParams {
    int ksize_w = 0, ksize_h = 0;  // >= 1
    double sigma = 0;              // > 0, Gaussian envelope
    double theta = 0;              // orientation, radians
    double lambda = 0;             // > 0, wavelength of the cosine, pixels
    double gamma = 1;              // > 0, spatial aspect ratio
    double psi = 1.5707963267948966;  // phase offset (OpenCV's default, pi/2)
    Border border = Border::reflect101;
    Padding padding = Padding::same;
};

// Box (averaging) filter, as OpenCV's boxFilter: the window of output (x, y) spans columns
// [x - ksize_w/2, x - ksize_w/2 + ksize_w - 1] and likewise rows. Cost per pixel does not
// depend on the window size.
struct BoxFilterParams {
    int ksize_w = 0, ksize_h = 0;  // >= 1
    bool normalize = true;         // divide by ksize_w * ksize_h (average) or not (sum)
    Border border = Border::reflect101;
    Padding padding = Padding::same;
};

// Largest kernel side accepted (a larger one is almost certainly a bug, as in a Gabor
// kernel sized like the image).
constexpr int kMaxKernelSize = 1023;

// The output shape a filter produces for `in` (dims <= 0 mean VALID has no output).
Shape output_shape(const Shape &in, const GaborParams &p);
Shape output_shape(const Shape &in, const BoxFilterParams &p);

// out must have output_shape(in.shape, p) and must not overlap in.
Status gabor(const ConstTensor &in, const Tensor &out, const GaborParams &p,
             Device device = Device::automatic);
Status box_filter(const ConstTensor &in, const Tensor &out, const BoxFilterParams &p,
                  Device device = Device::automatic);

}  // namespace hk

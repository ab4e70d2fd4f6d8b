// 2D convolution over NHWC (algorithm in conv2d.h), tf.nn.conv2d semantics: HWIO weights,
// stride, dilation, zero padding given as (left, top) offsets (the runtime computes SAME /
// VALID / explicit pads), groups (depthwise with multiplier M = groups C, HWIO [kh, kw, 1, C*M],
// which is TensorFlow's depthwise layout), bias, fused activation.
#include "Halide.h"
#include "conv2d.h"
#include "kernel_generator.h"
#include "schedules/conv2d.h"

namespace {

using namespace Halide;

class Conv2D : public hk::gen::KernelGenerator<Conv2D> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::Conv2DDef conv;

public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    hk::gen::Conv2DInputs params;            // weights, bias, stride, ..., activation, alpha
    Output<Buffer<float, 4>> output{"output"};  // (o, x, y, n)

    void generate() {
        conv = params.apply(input, input.dim(1).extent(), input.dim(2).extent(), output.dim(0).extent(), get_target());
        output(d.o, d.x, d.y, d.n) = conv.output(d.o, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_conv2d(conv, output, input.dim(1).stride(), get_target(), k); }

    void estimates() {  // 3x3, 64 -> 64 channels at 56x56, SAME
        input.set_estimates(hk::gen::nhwc_estimate(64, 56, 56));
        output.set_estimates(hk::gen::nhwc_estimate(64, 56, 56));
        params.set_estimates(64, 64, 3, hk::Activation::none);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Conv2D, hk_conv2d)

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
public:
    Input<Buffer<float, 4>> input{"input"};      // (c, x, y, n)
    Input<Buffer<float, 4>> weights{"weights"};  // HWIO memory: (o, i, kx, ky)
    Input<Buffer<float, 1>> bias{"bias"};        // (o)
    Input<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int32_t> dilation_x{"dilation_x"}, dilation_y{"dilation_y"};
    Input<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<int32_t> groups{"groups"};
    Input<int32_t> activation{"activation"};  // hk::Activation
    Input<float> alpha{"alpha"};
    Output<Buffer<float, 4>> output{"output"};  // (o, x, y, n)

    void generate() {
        conv = hk::gen::conv2d({input, input.dim(1).extent(), input.dim(2).extent(), weights,
                               weights.dim(2).extent(), weights.dim(3).extent(), weights.dim(1).extent(),
                               bias, output.dim(0).extent(), stride_x, stride_y, dilation_x,
                               dilation_y, pad_left, pad_top, groups, activation, alpha});
        output(d.o, d.x, d.y, d.n) = conv.output(d.o, d.x, d.y, d.n);
    }

    void estimates() {  // 3x3, 64 -> 64 channels at 56x56, SAME
        input.set_estimates(hk::gen::nhwc_estimate(64, 56, 56));
        output.set_estimates(hk::gen::nhwc_estimate(64, 56, 56));
        weights.set_estimates({{0, 64}, {0, 64}, {0, 3}, {0, 3}}), bias.set_estimates({{0, 64}});
        stride_x.set_estimate(1), stride_y.set_estimate(1), dilation_x.set_estimate(1), dilation_y.set_estimate(1);
        pad_left.set_estimate(1), pad_top.set_estimate(1), groups.set_estimate(1);
        activation.set_estimate(int(hk::Activation::none)), alpha.set_estimate(0.0f);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_conv2d(conv, output, get_target(), k); }

private:
    hk::gen::Dims d;
    hk::gen::Conv2DDef conv;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Conv2D, hk_conv2d)

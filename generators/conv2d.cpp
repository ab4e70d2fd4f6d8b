// 2D convolution over NHWC (algorithm in conv2d.h), tf.nn.conv2d semantics: HWIO weights,
// stride, dilation, zero padding given as (left, top) offsets (the runtime computes SAME /
// VALID / explicit pads), groups (depthwise with multiplier M = groups C, HWIO [kh, kw, 1, C*M],
// which is TensorFlow's depthwise layout), bias, fused activation.
#include "Halide.h"
#include "conv2d.h"
#include "schedules/conv2d.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class Conv2D : public hk::sched::Tunable<Conv2D> {
public:
    Input<Buffer<float, 4>> input{"input"};      // (c, x, y, n)
    Input<Buffer<float, 4>> weights{"weights"};  // HWIO memory: (o, i, kx, ky)
    Input<Buffer<float, 1>> bias{"bias"};        // (o)
    Input<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int32_t> dilation_x{"dilation_x"}, dilation_y{"dilation_y"};
    Input<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<int32_t> groups{"groups"};
    Input<int32_t> activation{"activation"};  // hk::gen::ActivationKind
    Input<float> alpha{"alpha"};
    Output<Buffer<float, 4>> output{"output"};  // (o, x, y, n)

    void generate() {
        def = hk::gen::conv2d({input, input.dim(1).extent(), input.dim(2).extent(), weights,
                               weights.dim(2).extent(), weights.dim(3).extent(), weights.dim(1).extent(),
                               bias, output.dim(0).extent(), stride_x, stride_y, dilation_x,
                               dilation_y, pad_left, pad_top, groups, activation, alpha});
        output(o, x, y, n) = def.output(o, x, y, n);
    }

    void schedule() {
        if (using_autoscheduler()) {  // 3x3, 64 -> 64 channels at 56x56, SAME
            input.set_estimates({{0, 64}, {0, 56}, {0, 56}, {0, 1}});
            output.set_estimates({{0, 64}, {0, 56}, {0, 56}, {0, 1}});
            weights.set_estimates({{0, 64}, {0, 64}, {0, 3}, {0, 3}}), bias.set_estimates({{0, 64}});
            stride_x.set_estimate(1), stride_y.set_estimate(1), dilation_x.set_estimate(1), dilation_y.set_estimate(1);
            pad_left.set_estimate(1), pad_top.set_estimate(1), groups.set_estimate(1);
            activation.set_estimate(0), alpha.set_estimate(0.0f);
            return;
        }
        if (apply_checked_in()) return;
        hk::sched::schedule_conv2d({output, def.conv, def.padded, def.taps, groups, activation, o, x, y, n},
                                   get_target(), knobs());
    }

private:
    Var o{"o"}, x{"x"}, y{"y"}, n{"n"};
    hk::gen::Conv2DDef def;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Conv2D, hk_conv2d)

// 2D convolution over NHWC (algorithm), tf.nn.conv2d semantics: cross-correlation, HWIO
// weights, stride, dilation, zero padding given as (left, top) offsets (the runtime computes
// SAME / VALID / explicit pads), groups (depthwise with multiplier M = groups C, HWIO
// [kh, kw, 1, C*M], which is TensorFlow's depthwise layout), bias, fused activation.
#include "Halide.h"
#include "activation.h"
#include "schedules/conv2d.h"

namespace {

using namespace Halide;

class Conv2D : public Generator<Conv2D> {
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
        Expr in_w = input.dim(1).extent(), in_h = input.dim(2).extent();
        Expr in_per_group = weights.dim(1).extent();
        Expr out_per_group = output.dim(0).extent() / groups;

        Expr inside = x >= 0 && x < in_w && y >= 0 && y < in_h;
        padded(c, x, y, n) =
            select(likely(inside), input(c, clamp(x, 0, in_w - 1), clamp(y, 0, in_h - 1), n), 0.0f);

        taps = RDom(0, in_per_group, 0, weights.dim(2).extent(), 0, weights.dim(3).extent(), "taps");
        Expr group = select(groups == 1, 0, o / out_per_group);
        conv(o, x, y, n) = bias(o);
        conv(o, x, y, n) += weights(o, taps.x, taps.y, taps.z) *
                            padded(group * in_per_group + taps.x, x * stride_x - pad_left + taps.y * dilation_x,
                                   y * stride_y - pad_top + taps.z * dilation_y, n);
        output(o, x, y, n) = hk::gen::activate(conv(o, x, y, n), activation, alpha);
    }

    void schedule() {
        hk::sched::Conv2DFuncs f{output, conv, padded, taps, groups, activation, o, x, y, n};
        if (!using_autoscheduler()) hk::sched::schedule_conv2d(f, get_target());
    }

private:
    Var o{"o"}, x{"x"}, y{"y"}, n{"n"}, c{"c"};
    Func padded{"padded"}, conv{"conv"};
    RDom taps;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Conv2D, hk_conv2d)

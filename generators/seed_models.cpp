// The seed's models, each as one fused pipeline (algorithms composed from the op headers):
//   hk_gabor_conv: Gabor filter per channel -> conv2d (+ bias, activation)   (seed model 1)
//   hk_box_pool:   box filter per channel -> max / average pooling            (seed model 2)
// Seed model 3 (directional derivative -> activation) is one pipeline already: filter2d with
// a fused activation.
#include "Halide.h"
#include "activation.h"
#include "border.h"
#include "box_filter.h"
#include "conv2d.h"
#include "correlate.h"
#include "pooling.h"
#include "schedules/seed_models.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class GaborConv : public hk::sched::Tunable<GaborConv> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    // Gabor (SAME, per channel), as hk_gabor takes it.
    Input<int32_t> ksize_w{"ksize_w"}, ksize_h{"ksize_h"};
    Input<float> cos_theta{"cos_theta"}, sin_theta{"sin_theta"};
    Input<float> ex{"ex"}, ey{"ey"}, cscale{"cscale"}, psi{"psi"};
    Input<int32_t> border{"border"};
    // conv2d, as hk_conv2d takes it.
    Input<Buffer<float, 4>> weights{"weights"};  // HWIO: (o, i, kx, ky)
    Input<Buffer<float, 1>> bias{"bias"};
    Input<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int32_t> dilation_x{"dilation_x"}, dilation_y{"dilation_y"};
    Input<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<int32_t> groups{"groups"};
    Input<int32_t> activation{"activation"};
    Input<float> alpha{"alpha"};
    Output<Buffer<float, 4>> output{"output"};  // (o, x, y, n)

    void generate() {
        Expr half_w = ksize_w / 2, half_h = ksize_h / 2;
        Expr gx = cast<float>(half_w - i), gy = cast<float>(half_h - j);
        Expr xr = gx * cos_theta + gy * sin_theta, yr = -gx * sin_theta + gy * cos_theta;
        gabor_weights(i, j) = exp(ex * xr * xr + ey * yr * yr) * cos(cscale * xr + psi);
        Expr w = input.dim(1).extent(), h = input.dim(2).extent();
        bounded = hk::gen::with_border(input, w, h, border, "bounded");
        corr = hk::gen::correlate(bounded, gabor_weights, 2 * half_w + 1, 2 * half_h + 1, half_w, half_h,
                                  false, input.dim(0).extent());
        conv = hk::gen::conv2d({corr.conv, w, h, weights, weights.dim(2).extent(), weights.dim(3).extent(),
                                weights.dim(1).extent(), bias, output.dim(0).extent(), stride_x, stride_y,
                                dilation_x, dilation_y, pad_left, pad_top, groups, activation, alpha,
                                /*src_defined_everywhere=*/true});
        output(o, x, y, n) = conv.output(o, x, y, n);
    }

    void schedule() {
        if (using_autoscheduler()) {  // seed model 1: 3x3 Gabor per channel, 3x3 conv 3 -> 32, 256x256
            input.set_estimates({{0, 3}, {0, 256}, {0, 256}, {0, 1}});
            output.set_estimates({{0, 32}, {0, 256}, {0, 256}, {0, 1}});
            ksize_w.set_estimate(3), ksize_h.set_estimate(3);
            cos_theta.set_estimate(1.0f), sin_theta.set_estimate(0.0f);
            ex.set_estimate(-0.5f), ey.set_estimate(-0.25f), cscale.set_estimate(0.6f), psi.set_estimate(0.0f);
            border.set_estimate(hk::gen::kBorderConstantZero);
            weights.set_estimates({{0, 32}, {0, 3}, {0, 3}, {0, 3}}), bias.set_estimates({{0, 32}});
            stride_x.set_estimate(1), stride_y.set_estimate(1), dilation_x.set_estimate(1), dilation_y.set_estimate(1);
            pad_left.set_estimate(1), pad_top.set_estimate(1), groups.set_estimate(1);
            activation.set_estimate(1), alpha.set_estimate(0.0f);
            return;
        }
        if (apply_checked_in()) return;
        gabor_weights.compute_root();
        hk::sched::schedule_gabor_conv({output, bounded, corr.conv, corr.taps, conv.conv, conv.padded,
                                        conv.taps, activation, groups, o, x, y, n},
                                       get_target(), knobs());
    }

private:
    Var o{"o"}, x{"x"}, y{"y"}, n{"n"}, i{"i"}, j{"j"};
    Func gabor_weights{"gabor_weights"}, bounded{"bounded"};
    hk::gen::Correlation corr;
    hk::gen::Conv2DDef conv;
};

class BoxPool : public hk::sched::Tunable<BoxPool> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    // Box filter (SAME, per channel), as hk_box_filter takes it.
    Input<int32_t> ksize_w{"ksize_w"}, ksize_h{"ksize_h"};
    Input<bool> normalize{"normalize"};
    Input<int32_t> border{"border"};
    // Pooling, as hk_pooling takes it.
    Input<int32_t> kind{"kind"};
    Input<int32_t> window_w{"window_w"}, window_h{"window_h"};
    Input<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<bool> count_include_pad{"count_include_pad"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Expr w = input.dim(1).extent(), h = input.dim(2).extent();
        bounded = hk::gen::with_border(input, w, h, border, "bounded");
        box = hk::gen::box_filter({bounded, ksize_w, ksize_h, normalize, 0, 0, w});
        pool = hk::gen::pool2d({box.output, w, h, kind, window_w, window_h, stride_x, stride_y,
                                pad_left, pad_top, count_include_pad});
        output(c, x, y, n) = pool.output(c, x, y, n);
    }

    void schedule() {
        if (using_autoscheduler()) {  // seed model 2: 5x5 box, 2x2 max pooling, 64x64 grey
            input.set_estimates({{0, 1}, {0, 64}, {0, 64}, {0, 1}});
            output.set_estimates({{0, 1}, {0, 32}, {0, 32}, {0, 1}});
            ksize_w.set_estimate(5), ksize_h.set_estimate(5), normalize.set_estimate(true);
            border.set_estimate(hk::gen::kBorderReflect101);
            kind.set_estimate(0), window_w.set_estimate(2), window_h.set_estimate(2);
            stride_x.set_estimate(2), stride_y.set_estimate(2), pad_left.set_estimate(0), pad_top.set_estimate(0);
            count_include_pad.set_estimate(false);
            return;
        }
        if (apply_checked_in()) return;
        hk::sched::schedule_box_pool({output, bounded, box.row_sum, box.col_run, box.output, box.strips_x,
                                      box.step_x, box.step_y, box.strip_y, pool.acc, stride_y,
                                      c, x, y, n, yi, ys, box.row_direct, box.direct_rows},
                                     get_target(), knobs());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, yi{"yi"}, ys{"ys"};
    Func bounded{"bounded"};
    hk::gen::BoxDef box;
    hk::gen::PoolDef pool;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(GaborConv, hk_gabor_conv)
HALIDE_REGISTER_GENERATOR(BoxPool, hk_box_pool)

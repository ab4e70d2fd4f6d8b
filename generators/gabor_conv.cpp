// Seed model 1 as one fused pipeline: a Gabor filter per channel (SAME, generators/gabor.h and
// correlate.h) -> conv2d with bias and activation (generators/conv2d.h). Its inputs are those
// of hk_gabor (per channel) followed by those of hk_conv2d.
#include "Halide.h"
#include "border.h"
#include "conv2d.h"
#include "correlate.h"
#include "gabor.h"
#include "kernel_generator.h"
#include "schedules/gabor_conv.h"

namespace {

using namespace Halide;

class GaborConv : public hk::gen::KernelGenerator<GaborConv> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::Correlation gabor;
    hk::gen::Conv2DDef conv;

public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    // Gabor (SAME, per channel), as hk_gabor takes it.
    Input<int32_t> ksize_w{"ksize_w"}, ksize_h{"ksize_h"};
    Input<float> cos_theta{"cos_theta"}, sin_theta{"sin_theta"};
    Input<float> ex{"ex"}, ey{"ey"}, cscale{"cscale"}, psi{"psi"};
    Input<int32_t> border{"border"};  // hk::Border
    // conv2d, as hk_conv2d takes it.
    hk::gen::Conv2DInputs conv_params;
    Output<Buffer<float, 4>> output{"output"};  // (o, x, y, n)

    void generate() {
        Expr half_w = ksize_w / 2, half_h = ksize_h / 2;
        Var i("i"), j("j");
        Func gabor_weights("gabor_weights");
        gabor_weights(i, j) = hk::gen::gabor_tap(i, j, half_w, half_h, {cos_theta, sin_theta, ex, ey, cscale, psi}).real();
        Expr w = input.dim(1).extent(), h = input.dim(2).extent();
        // The Gabor responses the convolution reads: its output columns times the stride, from
        // pad_left before to its kernel's dilated reach after; the Gabor reaches half_w further.
        hk::gen::Conv2DInputs &cp = conv_params;
        const Expr conv_first = output.dim(1).min() * cp.stride_x - cp.pad_left;
        const Expr conv_span = (output.dim(1).extent() - 1) * cp.stride_x + (cp.weights.dim(2).extent() - 1) * cp.dilation_x + 1;
        const auto cols = hk::gen::ColumnsRead::of(conv_first, conv_span, half_w, half_w);
        Func bounded = hk::gen::with_border(input, w, h, border, cols, "bounded");
        gabor = hk::gen::correlate(bounded, gabor_weights, 2 * half_w + 1, 2 * half_h + 1, half_w, half_h,
                                   false, input.dim(0).extent());
        conv = conv_params.apply(gabor.sum, w, h, output.dim(0).extent(), get_target(), /*src_defined_everywhere=*/true);
        output(d.o, d.x, d.y, d.n) = conv.output(d.o, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_gabor_conv(gabor, conv, output, input.dim(1).stride(), get_target(), k); }

    void estimates() {  // seed model 1: 3x3 Gabor per channel, 3x3 conv 3 -> 32, 256x256
        input.set_estimates(hk::gen::nhwc_estimate(3, 256, 256));
        output.set_estimates(hk::gen::nhwc_estimate(32, 256, 256));
        ksize_w.set_estimate(3), ksize_h.set_estimate(3);
        cos_theta.set_estimate(1.0f), sin_theta.set_estimate(0.0f);
        ex.set_estimate(-0.5f), ey.set_estimate(-0.25f), cscale.set_estimate(0.6f), psi.set_estimate(0.0f);
        border.set_estimate(int(hk::Border::zero));
        conv_params.set_estimates(3, 32, 3, hk::Activation::relu);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(GaborConv, hk_gabor_conv)

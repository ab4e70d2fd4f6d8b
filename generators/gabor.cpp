// Gabor filter (algorithm): OpenCV's getGaborKernel (generators/gabor.h) applied as filter2D
// does (generators/correlate.h), kernel size (2*(ksize/2)+1) per axis as getGaborKernel rounds
// even sizes up. Every parameter is a runtime input: changing one never needs a rebuild.
#include "Halide.h"
#include "border.h"
#include "correlate.h"
#include "gabor.h"
#include "kernel_generator.h"
#include "schedules/correlate.h"

namespace {

using namespace Halide;

class Gabor : public hk::gen::KernelGenerator<Gabor> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::Correlation corr;

public:
    Input<Buffer<void, 4>> input{"input"};  // (c, x, y, n): NHWC memory; uint8 or float32
    Input<int32_t> ksize_w{"ksize_w"};
    Input<int32_t> ksize_h{"ksize_h"};
    Input<float> cos_theta{"cos_theta"};
    Input<float> sin_theta{"sin_theta"};
    Input<float> ex{"ex"};
    Input<float> ey{"ey"};
    Input<float> cscale{"cscale"};
    Input<float> psi{"psi"};
    Input<int32_t> border{"border"};  // hk::Border
    Input<bool> sum_channels{"sum_channels"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Expr half_w = ksize_w / 2, half_h = ksize_h / 2;
        Var i("i"), j("j");
        Func weights("weights");
        weights(i, j) = hk::gen::gabor_tap(i, j, half_w, half_h, {cos_theta, sin_theta, ex, ey, cscale, psi}).real();
        const auto cols = hk::gen::ColumnsRead::of(output.dim(1).min(), output.dim(1).extent(), half_w, half_w);
        Func bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                            input.dim(2).extent(), border, cols, "bounded");
        corr = hk::gen::correlate(bounded, weights, 2 * half_w + 1, 2 * half_h + 1, half_w, half_h,
                                  sum_channels, input.dim(0).extent());
        output(d.c, d.x, d.y, d.n) = corr.sum(d.c, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_correlate(corr, output, input.dim(1).stride(), Expr(), get_target(), k); }

    void estimates() {  // a 15x15 Gabor on a 1080p grey image
        input.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        output.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        ksize_w.set_estimate(15), ksize_h.set_estimate(15);
        cos_theta.set_estimate(1.0f), sin_theta.set_estimate(0.0f);
        ex.set_estimate(-0.02f), ey.set_estimate(-0.01f), cscale.set_estimate(0.6f), psi.set_estimate(0.0f);
        border.set_estimate(int(hk::Border::reflect101)), sum_channels.set_estimate(false);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Gabor, hk_gabor)

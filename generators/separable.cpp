// Sum of separable passes (algorithm in separable.h) with a border, per channel or summed over
// channels, with an optional fused activation: OpenCV's sepFilter2D with one term, low-rank 2D
// kernels (the runtime's factorization) with more.
#include "Halide.h"
#include "activation.h"
#include "border.h"
#include "kernel_generator.h"
#include "schedules/separable.h"
#include "separable.h"

namespace {

using namespace Halide;

class Separable : public hk::gen::KernelGenerator<Separable> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::SeparablePasses passes;

public:
    Input<Buffer<void, 4>> input{"input"};               // (c, x, y, n); uint8 or float32
    Input<Buffer<float, 2>> row_kernels{"row_kernels"};  // (i, r): along x
    Input<Buffer<float, 2>> col_kernels{"col_kernels"};  // (j, r): along y
    Input<int32_t> anchor_x{"anchor_x"}, anchor_y{"anchor_y"};
    Input<int32_t> border{"border"};                     // hk::Border
    Input<bool> sum_channels{"sum_channels"};
    Input<int32_t> activation{"activation"};             // hk::Activation
    Input<float> alpha{"alpha"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        const Expr kw = row_kernels.dim(0).extent();
        const auto cols = hk::gen::ColumnsRead::of(output.dim(1).min(), output.dim(1).extent(), anchor_x, kw - 1 - anchor_x);
        Func bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                            input.dim(2).extent(), border, cols, "bounded");
        passes = hk::gen::separable_passes(bounded, row_kernels, row_kernels.dim(0).extent(), col_kernels,
                                           col_kernels.dim(0).extent(), row_kernels.dim(1).extent(),
                                           anchor_x, anchor_y, sum_channels, input.dim(0).extent());
        output(d.c, d.x, d.y, d.n) = hk::gen::activate(passes.cols(d.c, d.x, d.y, d.n), activation, alpha);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_separable(passes, output, input.dim(1).stride(), activation, get_target(), k); }

    void estimates() {  // a 15-tap separable kernel on a 1080p grey image
        input.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        output.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        row_kernels.set_estimates({{0, 15}, {0, 1}}), col_kernels.set_estimates({{0, 15}, {0, 1}});
        anchor_x.set_estimate(7), anchor_y.set_estimate(7);
        border.set_estimate(int(hk::Border::reflect101)), sum_channels.set_estimate(false);
        activation.set_estimate(int(hk::Activation::none)), alpha.set_estimate(0.0f);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Separable, hk_separable)

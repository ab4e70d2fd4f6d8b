// Any 2D kernel the caller gives, as OpenCV's filter2D (cross-correlation, generators/
// correlate.h) with a border, per channel or summed over channels, with an optional fused
// activation. The directional derivatives are kernels built by the runtime and applied here.
#include "Halide.h"
#include "activation.h"
#include "border.h"
#include "correlate.h"
#include "kernel_generator.h"
#include "schedules/correlate.h"

namespace {

using namespace Halide;

class Filter2D : public hk::gen::KernelGenerator<Filter2D> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::Correlation corr;

public:
    Input<Buffer<void, 4>> input{"input"};     // (c, x, y, n); uint8 or float32
    Input<Buffer<float, 2>> kernel{"kernel"};  // (i, j): multiplies in(x + i - anchor_x, y + j - anchor_y)
    Input<int32_t> anchor_x{"anchor_x"}, anchor_y{"anchor_y"};
    Input<int32_t> border{"border"};           // hk::Border
    Input<bool> sum_channels{"sum_channels"};
    Input<int32_t> activation{"activation"};   // hk::Activation
    Input<float> alpha{"alpha"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Var i("i"), j("j");
        Func weights("weights");
        weights(i, j) = kernel(i, j);
        const Expr kw = kernel.dim(0).extent();
        const auto cols = hk::gen::ColumnsRead::of(output.dim(1).min(), output.dim(1).extent(), anchor_x, kw - 1 - anchor_x);
        Func bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                            input.dim(2).extent(), border, cols, "bounded");
        corr = hk::gen::correlate(bounded, weights, kernel.dim(0).extent(), kernel.dim(1).extent(),
                                  anchor_x, anchor_y, sum_channels, input.dim(0).extent());
        output(d.c, d.x, d.y, d.n) = hk::gen::activate(corr.sum(d.c, d.x, d.y, d.n), activation, alpha);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_correlate(corr, output, input.dim(1).stride(), activation, get_target(), k); }

    void estimates() {  // a 7x7 kernel on a 1080p grey image
        input.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        output.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        kernel.set_estimates({{0, 7}, {0, 7}});
        anchor_x.set_estimate(3), anchor_y.set_estimate(3);
        border.set_estimate(int(hk::Border::reflect101)), sum_channels.set_estimate(false);
        activation.set_estimate(int(hk::Activation::none)), alpha.set_estimate(0.0f);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Filter2D, hk_filter2d)

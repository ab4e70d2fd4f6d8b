// Any 2D kernel the caller gives, as OpenCV's filter2D (cross-correlation) with a border, per
// channel or summed over channels, with an optional fused activation. The directional
// derivatives are kernels built by the runtime and applied with this pipeline.
#include "Halide.h"
#include "activation.h"
#include "border.h"
#include "correlate.h"
#include "schedules/correlate.h"

namespace {

using namespace Halide;

class Filter2D : public Generator<Filter2D> {
public:
    Input<Buffer<void, 4>> input{"input"};     // (c, x, y, n); uint8 or float32
    Input<Buffer<float, 2>> kernel{"kernel"};  // (i, j): multiplies in(x + i - anchor_x, y + j - anchor_y)
    Input<int32_t> anchor_x{"anchor_x"}, anchor_y{"anchor_y"};
    Input<int32_t> border{"border"};
    Input<bool> sum_channels{"sum_channels"};
    Input<int32_t> activation{"activation"};
    Input<float> alpha{"alpha"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        weights(i, j) = kernel(i, j);
        bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                       input.dim(2).extent(), border, "bounded");
        corr = hk::gen::correlate(bounded, weights, kernel.dim(0).extent(), kernel.dim(1).extent(),
                                  anchor_x, anchor_y, sum_channels, input.dim(0).extent());
        output(c, x, y, n) = hk::gen::activate(corr.conv(c, x, y, n), activation, alpha);
    }

    void schedule() {
        if (using_autoscheduler()) return;
        hk::sched::schedule_correlate(
            {output, corr.conv, bounded, corr.taps, output.dim(1).stride(), output.dim(1).extent(),
             output.dim(2).extent(), activation, c, x, y, n},
            get_target());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, i{"i"}, j{"j"};
    Func weights{"weights"}, bounded{"bounded"};
    hk::gen::Correlation corr;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Filter2D, hk_filter2d)

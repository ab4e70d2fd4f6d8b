// Any 2D kernel the caller gives, as OpenCV's filter2D (cross-correlation) with a border, per
// channel or summed over channels, with an optional fused activation. The directional
// derivatives are kernels built by the runtime and applied with this pipeline.
#include "Halide.h"
#include "activation.h"
#include "border.h"
#include "correlate.h"
#include "schedules/correlate.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class Filter2D : public hk::sched::Tunable<Filter2D> {
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
        if (using_autoscheduler()) {  // a 7x7 kernel on a 1080p grey image
            input.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            output.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            kernel.set_estimates({{0, 7}, {0, 7}});
            anchor_x.set_estimate(3), anchor_y.set_estimate(3);
            border.set_estimate(hk::gen::kBorderReflect101), sum_channels.set_estimate(false);
            activation.set_estimate(0), alpha.set_estimate(0.0f);
            return;
        }
        if (apply_checked_in()) return;
        hk::sched::schedule_correlate(
            {output, corr.conv, bounded, corr.taps, output.dim(1).stride(), output.dim(1).extent(),
             output.dim(2).extent(), activation, c, x, y, n},
            get_target(), knobs());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, i{"i"}, j{"j"};
    Func weights{"weights"}, bounded{"bounded"};
    hk::gen::Correlation corr;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Filter2D, hk_filter2d)

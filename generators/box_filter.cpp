// Box (averaging) filter over NHWC (algorithm in box_filter.h), per channel, any border.
#include "Halide.h"
#include "border.h"
#include "box_filter.h"
#include "schedules/box_filter.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class BoxFilter : public hk::sched::Tunable<BoxFilter> {
public:
    GeneratorParam<int> strip{"strip", 32};  // shortest running-sum restart period, in samples

    Input<Buffer<void, 4>> input{"input"};  // (c, x, y, n): NHWC memory; uint8 or float32
    Input<int32_t> ksize_w{"ksize_w"};
    Input<int32_t> ksize_h{"ksize_h"};
    Input<bool> normalize{"normalize"};
    Input<int32_t> border{"border"};  // hk::gen::BorderMode
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                       input.dim(2).extent(), border, "bounded");
        def = hk::gen::box_filter({bounded, ksize_w, ksize_h, normalize, output.dim(1).min(),
                                   output.dim(2).min(), output.dim(1).extent(), strip});
        output(c, x, y, n) = def.output(c, x, y, n);
    }

    void schedule() {
        if (using_autoscheduler()) {  // a 5x5 box on a 1080p grey image
            input.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            output.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            ksize_w.set_estimate(5), ksize_h.set_estimate(5), normalize.set_estimate(true);
            border.set_estimate(hk::gen::kBorderReflect101);
            return;
        }
        if (apply_checked_in()) return;
        hk::sched::schedule_box_filter({output, bounded, def.row_sum, def.col_run, def.strips_x,
                                        def.step_x, def.step_y, output.dim(1).stride(),
                                        output.dim(0).extent(), c, x, y, n, yi, ys, def.strip_y,
                                        def.row_direct, def.direct_rows},
                                       get_target(), knobs());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, yi{"yi"}, ys{"ys"};
    Func bounded{"bounded"};
    hk::gen::BoxDef def;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(BoxFilter, hk_box_filter)

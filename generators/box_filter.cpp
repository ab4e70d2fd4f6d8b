// Box (averaging) filter over NHWC (algorithm in box_filter.h), per channel, any border.
#include "Halide.h"
#include "border.h"
#include "box_filter.h"
#include "schedules/box_filter.h"

namespace {

using namespace Halide;

class BoxFilter : public Generator<BoxFilter> {
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
        if (using_autoscheduler()) return;
        hk::sched::schedule_box_filter({output, bounded, def.row_sum, def.col_run, def.strips_x,
                                        def.step_x, def.step_y, output.dim(1).stride(),
                                        output.dim(0).extent(), c, x, y, n, yi, ys, def.strip_y},
                                       get_target());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, yi{"yi"}, ys{"ys"};
    Func bounded{"bounded"};
    hk::gen::BoxDef def;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(BoxFilter, hk_box_filter)

// 2D max / average pooling over NHWC (algorithm in pooling.h), TensorFlow semantics.
#include "Halide.h"
#include "pooling.h"
#include "schedules/pooling.h"

namespace {

using namespace Halide;

class Pooling : public Generator<Pooling> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    Input<int32_t> kind{"kind"};             // 0: max, 1: average
    Input<int32_t> window_w{"window_w"}, window_h{"window_h"};
    Input<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<bool> count_include_pad{"count_include_pad"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        def = hk::gen::pool2d({input, input.dim(1).extent(), input.dim(2).extent(), kind, window_w,
                               window_h, stride_x, stride_y, pad_left, pad_top, count_include_pad});
        output(c, x, y, n) = def.output(c, x, y, n);
    }

    void schedule() {
        if (using_autoscheduler()) return;
        hk::sched::schedule_pooling({output, def.acc, def.window, kind, output.dim(0).extent(), c, x, y, n},
                                    get_target());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"};
    hk::gen::PoolDef def;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Pooling, hk_pooling)

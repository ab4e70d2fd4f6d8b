// 2D max / average pooling over NHWC (algorithm), TensorFlow semantics: padded cells are
// ignored (max never sees them, average divides by the number of real cells), unless
// count_include_pad, which divides by the full window.
#include <limits>

#include "Halide.h"
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
        Expr in_w = input.dim(1).extent(), in_h = input.dim(2).extent();
        Expr x0 = x * stride_x - pad_left, y0 = y * stride_y - pad_top;  // window's first cell
        window = RDom(0, window_w, 0, window_h, "window");
        Expr ix = x0 + window.x, iy = y0 + window.y;
        Expr inside = ix >= 0 && ix < in_w && iy >= 0 && iy < in_h;
        Expr v = input(c, clamp(ix, 0, in_w - 1), clamp(iy, 0, in_h - 1), n);
        const float lowest = -std::numeric_limits<float>::infinity();

        acc(c, x, y, n) = select(kind == 0, lowest, 0.0f);
        acc(c, x, y, n) = select(kind == 0, max(acc(c, x, y, n), select(inside, v, lowest)),
                                 acc(c, x, y, n) + select(inside, v, 0.0f));
        // Real cells in the window, in closed form.
        Expr cells = (min(x0 + window_w, in_w) - max(x0, 0)) * (min(y0 + window_h, in_h) - max(y0, 0));
        Expr divisor = cast<float>(select(count_include_pad, window_w * window_h, max(cells, 1)));
        output(c, x, y, n) = select(kind == 0, acc(c, x, y, n), acc(c, x, y, n) / divisor);
    }

    void schedule() {
        hk::sched::PoolingFuncs f{output, acc, window, kind, output.dim(0).extent(), c, x, y, n};
        if (!using_autoscheduler()) hk::sched::schedule_pooling(f, get_target());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"};
    Func acc{"acc"};
    RDom window;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Pooling, hk_pooling)

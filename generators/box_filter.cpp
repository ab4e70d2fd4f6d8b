// Box (averaging) filter (algorithm). Matches OpenCV's boxFilter with the default anchor:
// the kw x kh window of output (x, y) covers columns [x - kw/2, x - kw/2 + kw - 1], likewise rows.
//
// Work per pixel does not grow with k: both passes are running sums (add the sample entering
// the window, subtract the one leaving it). The sums restart every s = max(strip, k) samples,
// which bounds float rounding error (a sum run over a whole 4K row drifts) and gives
// independent strips to run in parallel; a restart costs one direct k-sum, i.e. k/s <= 1 per
// pixel, whatever k.
#include "Halide.h"
#include "border.h"
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
        const int min_strip = strip;
        strip_x = max(min_strip, ksize_w);
        strip_y = max(min_strip, ksize_h);
        Expr anchor_x = ksize_w / 2, anchor_y = ksize_h / 2;
        Expr out_x0 = output.dim(1).min(), out_y0 = output.dim(2).min();
        Expr out_w = output.dim(1).extent();
        bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(), input.dim(2).extent(), border,
                                       "bounded");

        // Horizontal pass, stored in natural (c, x, y, n) layout: strips of s columns from the
        // output's first column, each started with a direct k-sum and then slid one column at a time.
        RDom kx(0, ksize_w, "kx");
        const Expr &sx = strip_x, &sy = strip_y;
        step_x = RDom(1, sx - 1, 0, (out_w + sx - 1) / sx, "step_x");  // (step in strip, strip)
        Expr strip_x0 = out_x0 + step_x.y * sx;
        row_sum(c, x, y, n) = undef<float>();
        strips_x = RDom(0, (out_w + sx - 1) / sx, "strips_x");
        row_first(c, x, y, n) = sum(bounded(c, x - anchor_x + kx, y, n));
        row_sum(c, out_x0 + strips_x * sx, y, n) = row_first(c, out_x0 + strips_x * sx, y, n);
        Expr xx = strip_x0 + step_x.x;
        row_sum(c, xx, y, n) = row_sum(c, xx - 1, y, n) + bounded(c, xx - anchor_x + ksize_w - 1, y, n) -
                               bounded(c, xx - anchor_x - 1, y, n);

        // Vertical pass over the row sums: col_run(c, x, yi, ys, n) is the window sum at
        // output row out_y0 + ys * sy + yi. Pure-var strips, so a schedule can compute any band.
        RDom ky(0, ksize_h, "ky");
        step_y = RDom(1, sy - 1, "step_y");
        Expr y0 = out_y0 + ys * sy - anchor_y;  // first row of the window of yi = 0
        col_run(c, x, yi, ys, n) = undef<float>();
        col_run(c, x, 0, ys, n) = sum(row_sum(c, x, y0 + ky, n), "col_first");
        col_run(c, x, step_y, ys, n) = col_run(c, x, step_y - 1, ys, n) +
                                       row_sum(c, x, y0 + step_y + ksize_h - 1, n) -
                                       row_sum(c, x, y0 + step_y - 1, n);

        Expr scale = select(normalize, 1.0f / cast<float>(ksize_w * ksize_h), 1.0f);
        Expr dy = y - out_y0;
        output(c, x, y, n) = col_run(c, x, dy % sy, dy / sy, n) * scale;
    }

    void schedule() {
        hk::sched::BoxFuncs f{output, bounded, row_sum, col_run, strips_x, step_x, step_y,
                              output.dim(1).stride(), output.dim(0).extent(),
                              c, x, y, n, yi, ys, strip_y};
        if (using_autoscheduler()) {
            input.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            output.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            ksize_w.set_estimate(5);
            ksize_h.set_estimate(5);
            normalize.set_estimate(true);
            border.set_estimate(hk::gen::kBorderReflect101);
        } else {
            hk::sched::schedule_box_filter(f, get_target());
        }
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, yi{"yi"}, ys{"ys"};
    Func bounded{"bounded"}, row_first{"row_first"}, row_sum{"row_sum"}, col_run{"col_run"};
    RDom strips_x, step_x, step_y;
    Expr strip_x, strip_y;  // running-sum restart periods
};

}  // namespace

HALIDE_REGISTER_GENERATOR(BoxFilter, hk_box_filter)

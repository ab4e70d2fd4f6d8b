// Sum of separable passes (algorithm): out = sum_r colkernel_r * (rowkernel_r * in), i.e. a 2D
// kernel K(j, i) = sum_r col(j, r) row(i, r). One term is OpenCV's sepFilter2D; the runtime
// uses more terms for low-rank 2D kernels (Gabor at gamma = 1 is rank 2 at any angle).
// Per channel or summed over channels, any border, optional fused activation.
#include "Halide.h"
#include "activation.h"
#include "border.h"
#include "schedules/separable.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class Separable : public hk::sched::Tunable<Separable> {
public:
    Input<Buffer<void, 4>> input{"input"};           // (c, x, y, n); uint8 or float32
    Input<Buffer<float, 2>> row_kernels{"row_kernels"};  // (i, r): along x
    Input<Buffer<float, 2>> col_kernels{"col_kernels"};  // (j, r): along y
    Input<int32_t> anchor_x{"anchor_x"}, anchor_y{"anchor_y"};
    Input<int32_t> border{"border"};
    Input<bool> sum_channels{"sum_channels"};
    Input<int32_t> activation{"activation"};
    Input<float> alpha{"alpha"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                       input.dim(2).extent(), border, "bounded");
        Expr kw = row_kernels.dim(0).extent(), kh = col_kernels.dim(0).extent();
        Expr terms = row_kernels.dim(1).extent();
        // Horizontal pass per term (summing channels here when asked: the passes are linear).
        row_taps = RDom(0, kw, 0, select(sum_channels, input.dim(0).extent(), 1), "row_taps");
        rows(c, x, y, n, r) = 0.0f;
        rows(c, x, y, n, r) += row_kernels(row_taps.x, r) *
                               bounded(select(sum_channels, row_taps.y, c), x + row_taps.x - anchor_x, y, n);
        // Vertical pass, summed over the terms.
        col_taps = RDom(0, kh, 0, terms, "col_taps");
        cols(c, x, y, n) = 0.0f;
        cols(c, x, y, n) += col_kernels(col_taps.x, col_taps.y) * rows(c, x, y + col_taps.x - anchor_y, n, col_taps.y);
        output(c, x, y, n) = hk::gen::activate(cols(c, x, y, n), activation, alpha);
    }

    void schedule() {
        if (using_autoscheduler()) {  // a 15-tap separable kernel on a 1080p grey image
            input.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            output.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            row_kernels.set_estimates({{0, 15}, {0, 1}}), col_kernels.set_estimates({{0, 15}, {0, 1}});
            anchor_x.set_estimate(7), anchor_y.set_estimate(7);
            border.set_estimate(hk::gen::kBorderReflect101), sum_channels.set_estimate(false);
            activation.set_estimate(0), alpha.set_estimate(0.0f);
            return;
        }
        if (apply_checked_in()) return;
        hk::sched::schedule_separable({output, bounded, rows, cols, row_taps, col_taps, activation,
                                       output.dim(1).stride(), c, x, y, n, r},
                                      get_target(), knobs());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, r{"r"};
    Func bounded{"bounded"}, rows{"rows"}, cols{"cols"};
    RDom row_taps, col_taps;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Separable, hk_separable)

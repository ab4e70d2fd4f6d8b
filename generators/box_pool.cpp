// Seed model 2 as one fused pipeline: a box filter per channel (SAME, generators/box_filter.h)
// -> max / average pooling (generators/pooling.h). Its inputs are those of hk_box_filter
// followed by those of hk_pooling.
#include "Halide.h"
#include "border.h"
#include "box_filter.h"
#include "kernel_generator.h"
#include "pooling.h"
#include "schedules/box_pool.h"

namespace {

using namespace Halide;

class BoxPool : public hk::gen::KernelGenerator<BoxPool> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    // Box filter (SAME, per channel), as hk_box_filter takes it.
    Input<int32_t> ksize_w{"ksize_w"}, ksize_h{"ksize_h"};
    Input<bool> normalize{"normalize"};
    Input<int32_t> border{"border"};  // hk::Border
    // Pooling, as hk_pooling takes it.
    Input<int32_t> kind{"kind"};      // hk::PoolKind
    Input<int32_t> window_w{"window_w"}, window_h{"window_h"};
    Input<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<bool> count_include_pad{"count_include_pad"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Expr w = input.dim(1).extent(), h = input.dim(2).extent();
        Func bounded = hk::gen::with_border(input, w, h, border, "bounded");
        box = hk::gen::box_filter({bounded, ksize_w, ksize_h, normalize, 0, 0, w});
        pool = hk::gen::pool2d({box.output, w, h, kind, window_w, window_h, stride_x, stride_y,
                                pad_left, pad_top, count_include_pad});
        output(d.c, d.x, d.y, d.n) = pool.output(d.c, d.x, d.y, d.n);
    }

    void estimates() {  // seed model 2: 5x5 box, 2x2 max pooling, 64x64 grey
        input.set_estimates(hk::gen::nhwc_estimate(1, 64, 64));
        output.set_estimates(hk::gen::nhwc_estimate(1, 32, 32));
        ksize_w.set_estimate(5), ksize_h.set_estimate(5), normalize.set_estimate(true);
        border.set_estimate(int(hk::Border::reflect101));
        kind.set_estimate(int(hk::PoolKind::max)), window_w.set_estimate(2), window_h.set_estimate(2);
        stride_x.set_estimate(2), stride_y.set_estimate(2), pad_left.set_estimate(0), pad_top.set_estimate(0);
        count_include_pad.set_estimate(false);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_box_pool(box, pool, output, get_target(), k); }

private:
    hk::gen::Dims d;
    hk::gen::BoxDef box;
    hk::gen::PoolDef pool;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(BoxPool, hk_box_pool)

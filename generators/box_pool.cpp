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
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::BoxDef box;
    hk::gen::PoolDef pool;

public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    // Box filter (SAME, per channel), as hk_box_filter takes it.
    Input<int32_t> ksize_w{"ksize_w"}, ksize_h{"ksize_h"};
    Input<bool> normalize{"normalize"};
    Input<int32_t> border{"border"};  // hk::Border
    // Pooling, as hk_pooling takes it.
    hk::gen::PoolInputs pool_params;
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Expr w = input.dim(1).extent(), h = input.dim(2).extent();
        // The box covers the whole image (pooling reads it inside [0, w) only).
        const auto cols = hk::gen::ColumnsRead::of(0, w, ksize_w / 2, ksize_w - 1 - ksize_w / 2);
        Func bounded = hk::gen::with_border(input, w, h, border, cols, "bounded");
        hk::gen::BoxArgs args{bounded, ksize_w, ksize_h, normalize, 0, 0, w};
        args.direct_max = hk::gen::box_direct_max(get_target());
        args.min_quads = hk::gen::box_min_quads(get_target());
        box = hk::gen::box_filter(args);
        pool = pool_params.apply(box.output, w, h);
        output(d.c, d.x, d.y, d.n) = pool.output(d.c, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_box_pool(box, pool, output, input.dim(1).stride(), get_target(), k); }

    void estimates() {  // seed model 2: 5x5 box, 2x2 max pooling, 64x64 grey
        input.set_estimates(hk::gen::nhwc_estimate(1, 64, 64));
        output.set_estimates(hk::gen::nhwc_estimate(1, 32, 32));
        ksize_w.set_estimate(5), ksize_h.set_estimate(5), normalize.set_estimate(true);
        border.set_estimate(int(hk::Border::reflect101));
        pool_params.set_estimates();
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(BoxPool, hk_box_pool)

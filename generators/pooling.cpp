// 2D max / average pooling over NHWC (algorithm in pooling.h), TensorFlow semantics.
#include "Halide.h"
#include "kernel_generator.h"
#include "pooling.h"
#include "schedules/pooling.h"

namespace {

using namespace Halide;

class Pooling : public hk::gen::KernelGenerator<Pooling> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    Input<int32_t> kind{"kind"};             // hk::PoolKind
    Input<int32_t> window_w{"window_w"}, window_h{"window_h"};
    Input<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<bool> count_include_pad{"count_include_pad"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        pool = hk::gen::pool2d({input, input.dim(1).extent(), input.dim(2).extent(), kind, window_w,
                                window_h, stride_x, stride_y, pad_left, pad_top, count_include_pad});
        output(d.c, d.x, d.y, d.n) = pool.output(d.c, d.x, d.y, d.n);
    }

    void estimates() {  // 2x2 max pooling, stride 2, of 56x56x64
        input.set_estimates(hk::gen::nhwc_estimate(64, 56, 56));
        output.set_estimates(hk::gen::nhwc_estimate(64, 28, 28));
        kind.set_estimate(int(hk::PoolKind::max)), window_w.set_estimate(2), window_h.set_estimate(2);
        stride_x.set_estimate(2), stride_y.set_estimate(2), pad_left.set_estimate(0), pad_top.set_estimate(0);
        count_include_pad.set_estimate(false);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_pooling(pool, output, get_target(), k); }

private:
    hk::gen::Dims d;
    hk::gen::PoolDef pool;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Pooling, hk_pooling)

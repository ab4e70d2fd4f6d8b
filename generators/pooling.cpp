// 2D max / average pooling over NHWC (algorithm in pooling.h), TensorFlow semantics.
#include "Halide.h"
#include "kernel_generator.h"
#include "pooling.h"
#include "schedules/pooling.h"

namespace {

using namespace Halide;

class Pooling : public hk::gen::KernelGenerator<Pooling> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::PoolDef pool;

public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    hk::gen::PoolInputs params;              // kind, window, stride, pads, count_include_pad
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        pool = params.apply(input, input.dim(1).extent(), input.dim(2).extent());
        output(d.c, d.x, d.y, d.n) = pool.output(d.c, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_pooling(pool, output, get_target(), k); }

    void estimates() {  // 2x2 max pooling, stride 2, of 56x56x64
        input.set_estimates(hk::gen::nhwc_estimate(64, 56, 56));
        output.set_estimates(hk::gen::nhwc_estimate(64, 28, 28));
        params.set_estimates();
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Pooling, hk_pooling)

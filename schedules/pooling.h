// Schedule of pooling (generators/pooling.h).
//   CPU: vectors across channels (NHWC keeps them contiguous) when there are enough of them,
//     else across x; rows of the output run in parallel.
//   GPU: one thread per output pixel, its channels in a loop.
#pragma once
#include "Halide.h"
#include "generators/dims.h"
#include "generators/pooling.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

// `output`: the generator's output, defined as pool.output.
inline void schedule_pooling(gen::PoolDef pool, Halide::Func output, const Halide::Target &t,
                             Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        pool.acc.compute_at(output, gpu_tile_pixels(output, kPixelBlocks.pick(t, knobs)));
        return;
    }
    const int vec = knobs.get("channel_vectors", 1, {1, 2, 4}) * t.natural_vector_size<float>();
    Var yn("yn");
    output.fuse(d.y, d.n, yn).parallel(yn);
    const Expr wide = output.output_buffer().dim(0).extent() >= vec;
    output.specialize(wide && pool.is_max).vectorize(d.c, vec, kGuard);
    output.specialize(wide).vectorize(d.c, vec, kGuard);
    output.specialize(pool.is_max);
    pool.acc.compute_at(output, d.x).vectorize(d.c, vec, kGuard);
    pool.acc.update().vectorize(d.c, vec, kGuard);
}

}  // namespace hk::sched

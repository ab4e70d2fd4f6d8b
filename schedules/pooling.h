// Schedule of pooling (generators/pooling.h).
//   CPU: vectors across channels (NHWC keeps them contiguous): each output pixel takes as many
//     channel vectors as its channels fill, up to 4 (all 64 channels of a 56x56x64 layer on
//     AVX-512, 32 on AVX2), so the vector count follows the layer, not one machine's tuning;
//     fewer channels than a vector run unvectorized. Branches of their own for windows that all
//     lie inside the input (VALID pooling: no padding test or clamp per cell, see
//     PoolArgs::windows_inside) and for the 2x2 window (Keras' default: constant window loops).
//     Blocks of output rows in parallel.
//   GPU: one thread per output pixel, its channels in a loop.
#pragma once
#include "Halide.h"
#include "generators/dims.h"
#include "generators/pooling.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

// Keras' default 2x2 window: schedules unroll its window loops in a branch of their own.
inline Halide::Expr two_by_two_window(const gen::PoolDef &pool) {
    return pool.window.x.extent() == 2 && pool.window.y.extent() == 2;
}

// `output`: the generator's output, defined as pool.output.
inline void schedule_pooling(gen::PoolDef pool, Halide::Func output, const Halide::Target &t,
                             Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        pool.acc.compute_at(output, gpu_tile_pixels(output, kPixelBlocks.pick(t, knobs)));
        return;
    }
    const int vec = t.natural_vector_size<float>();
    // channel_vectors: a fixed vector count (the tuner's); 0, the default: by the channel count.
    const int fixed_vectors = knobs.get("channel_vectors", 0, {1, 2, 4});
    Var yn("yn"), co("co"), ci("ci");
    // Tasks of rows_per_task output rows: one task per row of a 28x28 output spent about as long
    // in the thread pool as in its loop.
    output.fuse(d.y, d.n, yn).parallel(yn, knobs.get("rows_per_task", 4, {1, 2, 4, 8}));
    const Expr channels = output.output_buffer().dim(0).extent();
    const Expr two_by_two = two_by_two_window(pool);
    // Every branch splits the channels into blocks (loop `co`), so the accumulators of one block
    // are a small constant-size buffer in registers -- not one of the whole pixel's channels,
    // which was a dynamic allocation per output pixel.
    int widest = 1;
    for (int vectors : {4, 2, 1}) {
        if (fixed_vectors != 0 && vectors != fixed_vectors) continue;
        const int block = vectors * vec;  // channels per block
        widest = std::max(widest, block);
        // ShiftInwards: the last block of channels overlaps the one before (recomputing a few
        // outputs) instead of being partial, so every block is full and its accumulators
        // unrolled registers.
        Stage wide = output.specialize(channels >= block);
        wide.split(d.c, co, ci, block, TailStrategy::ShiftInwards).reorder(ci, co, d.x, yn).vectorize(ci, vec);
        // Windows inside the input first (VALID pooling): no padding test, no clamping.
        for (bool all_inside : {true, false}) {
            const Expr inside = all_inside ? pool.windows_inside : Halide::Internal::const_true();
            wide.specialize(inside && two_by_two && pool.is_max);
            wide.specialize(inside && two_by_two);
            wide.specialize(inside && pool.is_max);
            if (all_inside) wide.specialize(inside);
        }
    }
    output.split(d.c, co, ci, 1).specialize(pool.is_max);  // fewer channels than a vector
    // The block's accumulators: its vectors unrolled inside the window loops, in registers.
    Var cv("cv"), cvi("cvi");
    pool.acc.compute_at(output, co).bound_storage(d.c, widest).split(d.c, cv, cvi, vec, kGuard).vectorize(cvi).unroll(cv);
    pool.acc.update()
        .split(d.c, cv, cvi, vec, kGuard)
        .reorder(cvi, cv, pool.window.x, pool.window.y)
        .vectorize(cvi)
        .unroll(cv);
}

}  // namespace hk::sched

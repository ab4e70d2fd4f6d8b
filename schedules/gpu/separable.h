// Separable passes, GPU (CUDA and OpenCL; each picks the tile shape): the bordered input and each
// term's horizontal pass materialized once (kernels over pixels), then one thread per output pixel
// sums the vertical passes.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

inline void separable(SeparableFuncs f, Tile tile) {
    tile_pixels(f.bounded.compute_root(), f.x, f.y, f.n, tile);
    f.rows.compute_root().reorder(f.c, f.x, f.y, f.r, f.n);
    tile_stage(f.rows, f.x, f.y, tile);
    tile_stage(f.rows.update(), f.x, f.y, tile);
    Halide::Var thread_x = tile_pixels(f.output, f.x, f.y, f.n, tile);
    f.cols.compute_at(f.output, thread_x);
    specialize_common_activations(f.output, f.activation);
}

}  // namespace hk::sched::gpu

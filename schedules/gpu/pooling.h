// Pooling, GPU (CUDA and OpenCL; each picks the tile shape): one thread per output pixel, its
// channels in a loop.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

inline void pooling(PoolingFuncs f, Tile tile) {
    Halide::Var thread_x = tile_pixels(f.output, f.x, f.y, f.n, tile);
    f.acc.compute_at(f.output, thread_x);
}

}  // namespace hk::sched::gpu

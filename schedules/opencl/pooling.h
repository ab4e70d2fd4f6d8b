// Pooling, OpenCL: one thread per output pixel, its channels in a loop.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::opencl {

inline void pooling(PoolingFuncs f, const Halide::Target &) {
    Halide::Var thread_x = gpu::tile_pixels(f.output, f.x, f.y, f.n, gpu::Tile{64, 4});
    f.acc.compute_at(f.output, thread_x);
}

}  // namespace hk::sched::opencl

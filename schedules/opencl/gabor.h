// Gabor, OpenCL: one thread per output pixel (all channels), accumulators in registers,
// weights computed once on the host side of the pipeline.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::opencl {

inline void gabor(GaborFuncs f, const Halide::Target &) {
    f.weights.compute_root();
    Halide::Var thread_x = gpu::tile_pixels(f.output, f.x, f.y, f.n, gpu::Tile{64, 4});
    f.conv.compute_at(f.output, thread_x);
}

}  // namespace hk::sched::opencl

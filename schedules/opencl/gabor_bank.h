// Gabor bank, OpenCL: the bordered input materialized once, then one thread per output pixel and
// output channel (a loop over the channels in the thread), accumulators in registers.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::opencl {

inline void gabor_bank(GaborBankFuncs f, const Halide::Target &) {
    const gpu::Tile tile{64, 4};
    gpu::tile_pixels(f.bounded.compute_root(), f.x, f.y, f.n, tile);
    Halide::Var thread_x = gpu::tile_pixels(f.output, f.x, f.y, f.n, tile);
    f.conv.compute_at(f.output, thread_x);
}

}  // namespace hk::sched::opencl

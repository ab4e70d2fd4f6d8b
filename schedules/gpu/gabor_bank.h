// Gabor bank, GPU (CUDA and OpenCL; each picks the tile shape): the bordered input materialized
// once, then one thread per output pixel and output channel (a loop over the channels in the
// thread), accumulators in registers.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

inline void gabor_bank(GaborBankFuncs f, Tile tile) {
    tile_pixels(f.bounded.compute_root(), f.x, f.y, f.n, tile);
    Halide::Var thread_x = tile_pixels(f.output, f.x, f.y, f.n, tile);
    f.conv.compute_at(f.output, thread_x);
}

}  // namespace hk::sched::gpu

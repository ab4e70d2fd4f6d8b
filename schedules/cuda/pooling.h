// pooling, CUDA: blocks of 32 x 8 threads (32 along x: one warp per row of a block).
// The schedule itself is schedules/gpu/pooling.h.
#pragma once
#include "schedules/gpu/pooling.h"

namespace hk::sched::cuda {

inline void pooling(PoolingFuncs f, const Halide::Target &, const Knobs &k) { gpu::pooling(f, gpu::Tile{32, 8}.tuned(k)); }

}  // namespace hk::sched::cuda

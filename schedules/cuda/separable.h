// separable, CUDA: blocks of 32 x 8 threads (32 along x: one warp per row of a block).
// The schedule itself is schedules/gpu/separable.h.
#pragma once
#include "schedules/gpu/separable.h"

namespace hk::sched::cuda {

inline void separable(SeparableFuncs f, const Halide::Target &, const Knobs &k) { gpu::separable(f, gpu::Tile{32, 8}.tuned(k)); }

}  // namespace hk::sched::cuda

// box_filter, CUDA: blocks of 32 x 8 threads (32 along x: one warp per row of a block).
// The schedule itself is schedules/gpu/box_filter.h.
#pragma once
#include "schedules/gpu/box_filter.h"

namespace hk::sched::cuda {

inline void box_filter(BoxFuncs f, const Halide::Target &, const Knobs &k) { gpu::box_filter(f, gpu::Tile{32, 8}.tuned(k)); }

}  // namespace hk::sched::cuda

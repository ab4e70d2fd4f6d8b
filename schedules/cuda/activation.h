// activation, CUDA: blocks of 32 x 8 threads (32 along x: one warp per row of a block).
// The schedule itself is schedules/gpu/activation.h.
#pragma once
#include "schedules/gpu/activation.h"

namespace hk::sched::cuda {

inline void activation(ActivationFuncs f, const Halide::Target &, const Knobs &k) { gpu::activation(f, gpu::Tile{32, 8}.tuned(k)); }

}  // namespace hk::sched::cuda

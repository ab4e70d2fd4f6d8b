// conv2d, CUDA: blocks of 32 output channels x 4 pixels x 2 rows (a warp spans 32 channels,
// so weight reads and output writes coalesce).
// The schedule itself is schedules/gpu/conv2d.h.
#pragma once
#include "schedules/gpu/conv2d.h"

namespace hk::sched::cuda {

inline void conv2d(Conv2DFuncs f, const Halide::Target &, const Knobs &k) { gpu::conv2d(f, gpu::Tile{32, 4}.tuned(k)); }

}  // namespace hk::sched::cuda

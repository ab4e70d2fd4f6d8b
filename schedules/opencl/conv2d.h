// conv2d, OpenCL: work-groups of 16 output channels x 8 pixels x 2 rows.
// The schedule itself is schedules/gpu/conv2d.h.
#pragma once
#include "schedules/gpu/conv2d.h"

namespace hk::sched::opencl {

inline void conv2d(Conv2DFuncs f, const Halide::Target &, const Knobs &k) { gpu::conv2d(f, gpu::Tile{16, 8}.tuned(k)); }

}  // namespace hk::sched::opencl

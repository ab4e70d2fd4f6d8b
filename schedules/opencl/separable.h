// separable, OpenCL: work-groups of 64 x 4 (long rows suit CPU drivers such as PoCL, which
// vectorize across work-items along x).
// The schedule itself is schedules/gpu/separable.h.
#pragma once
#include "schedules/gpu/separable.h"

namespace hk::sched::opencl {

inline void separable(SeparableFuncs f, const Halide::Target &, const Knobs &k) { gpu::separable(f, gpu::Tile{64, 4}.tuned(k)); }

}  // namespace hk::sched::opencl

// box_filter, OpenCL: work-groups of 64 x 4 (long rows suit CPU drivers such as PoCL, which
// vectorize across work-items along x).
// The schedule itself is schedules/gpu/box_filter.h.
#pragma once
#include "schedules/gpu/box_filter.h"

namespace hk::sched::opencl {

inline void box_filter(BoxFuncs f, const Halide::Target &, const Knobs &k) { gpu::box_filter(f, gpu::Tile{64, 4}.tuned(k)); }

}  // namespace hk::sched::opencl

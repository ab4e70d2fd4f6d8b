// pooling, OpenCL: work-groups of 64 x 4 (long rows suit CPU drivers such as PoCL, which
// vectorize across work-items along x).
// The schedule itself is schedules/gpu/pooling.h.
#pragma once
#include "schedules/gpu/pooling.h"

namespace hk::sched::opencl {

inline void pooling(PoolingFuncs f, const Halide::Target &, const Knobs &k) { gpu::pooling(f, gpu::Tile{64, 4}.tuned(k)); }

}  // namespace hk::sched::opencl

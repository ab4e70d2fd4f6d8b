// seed_models, OpenCL: work-groups of 64 x 4 (long rows suit CPU drivers such as PoCL, which
// vectorize across work-items along x).
// The schedule itself is schedules/gpu/seed_models.h.
#pragma once
#include "schedules/gpu/seed_models.h"

namespace hk::sched::opencl {

inline void gabor_conv(GaborConvFuncs f, const Halide::Target &, const Knobs &k) { gpu::gabor_conv(f, gpu::Tile{64, 4}.tuned(k)); }
inline void box_pool(BoxPoolFuncs f, const Halide::Target &, const Knobs &k) { gpu::box_pool(f, gpu::Tile{64, 4}.tuned(k)); }

}  // namespace hk::sched::opencl

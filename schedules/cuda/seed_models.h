// seed_models, CUDA: blocks of 32 x 8 threads (32 along x: one warp per row of a block).
// The schedule itself is schedules/gpu/seed_models.h.
#pragma once
#include "schedules/gpu/seed_models.h"

namespace hk::sched::cuda {

inline void gabor_conv(GaborConvFuncs f, const Halide::Target &, const Knobs &k) { gpu::gabor_conv(f, gpu::Tile{32, 8}.tuned(k)); }
inline void box_pool(BoxPoolFuncs f, const Halide::Target &, const Knobs &k) { gpu::box_pool(f, gpu::Tile{32, 8}.tuned(k)); }

}  // namespace hk::sched::cuda

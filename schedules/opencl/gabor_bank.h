// gabor_bank, OpenCL: work-groups of 64 x 4 (long rows suit CPU drivers such as PoCL, which
// vectorize across work-items along x).
// The schedule itself is schedules/gpu/gabor_bank.h.
#pragma once
#include "schedules/gpu/gabor_bank.h"

namespace hk::sched::opencl {

inline void gabor_bank(GaborBankFuncs f, const Halide::Target &, const Knobs &k) { gpu::gabor_bank(f, gpu::Tile{64, 4}.tuned(k)); }

}  // namespace hk::sched::opencl

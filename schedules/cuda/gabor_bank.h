// gabor_bank, CUDA: blocks of 32 x 8 threads (32 along x: one warp per row of a block).
// The schedule itself is schedules/gpu/gabor_bank.h.
#pragma once
#include "schedules/gpu/gabor_bank.h"

namespace hk::sched::cuda {

inline void gabor_bank(GaborBankFuncs f, const Halide::Target &, const Knobs &k) { gpu::gabor_bank(f, gpu::Tile{32, 8}.tuned(k)); }

}  // namespace hk::sched::cuda

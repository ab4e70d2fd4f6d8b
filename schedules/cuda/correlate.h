// 2D correlation (Gabor, filter2d), CUDA: one thread per output pixel (all its channels), accumulators in registers.
// The bordered input is materialized once (a cheap copy) so the taps loop carries no border
// selects.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::cuda {

inline void correlate(CorrelateFuncs f, const Halide::Target &, const Knobs &k) {
    const gpu::Tile tile = gpu::Tile{32, 8}.tuned(k);
    gpu::tile_pixels(f.bounded.compute_root(), f.x, f.y, f.n, tile);
    Halide::Var thread_x = gpu::tile_pixels(f.output, f.x, f.y, f.n, tile);
    f.conv.compute_at(f.output, thread_x);
    if (f.activation.defined()) specialize_common_activations(f.output, f.activation);
}

}  // namespace hk::sched::cuda

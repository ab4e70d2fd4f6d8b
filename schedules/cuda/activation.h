// Activation, CUDA: one thread per pixel, its channels in a loop.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::cuda {

inline void activation(ActivationFuncs f, const Halide::Target &) {
    gpu::tile_pixels(f.output, f.x, f.y, f.n, gpu::Tile{32, 8});
}

}  // namespace hk::sched::cuda

// Activation, GPU (CUDA and OpenCL; each picks the tile shape): one thread per pixel, its channels
// in a loop.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

inline void activation(ActivationFuncs f, Tile tile) {
    tile_pixels(f.output, f.x, f.y, f.n, tile);
}

}  // namespace hk::sched::gpu

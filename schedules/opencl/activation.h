// Activation, OpenCL: one thread per pixel, its channels in a loop.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::opencl {

inline void activation(ActivationFuncs f, const Halide::Target &) {
    gpu::tile_pixels(f.output, f.x, f.y, f.n, gpu::Tile{64, 4});
}

}  // namespace hk::sched::opencl

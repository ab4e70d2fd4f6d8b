// conv2d, GPU (CUDA and OpenCL; each picks the tile shape): one thread per (output channel,
// pixel); consecutive threads take consecutive output channels, so weight reads and output writes
// coalesce (HWIO and NHWC both keep channels innermost).
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

inline void conv2d(Conv2DFuncs f, Tile tile) {
    using namespace Halide;
    Var yn("yn"), bo("bo"), bx("bx"), by("by"), to("to"), tx("tx"), ty("ty");
    f.output.fuse(f.y, f.n, yn).gpu_tile(f.o, f.x, yn, bo, bx, by, to, tx, ty, tile.x, tile.y, 2, kGuard);
    f.conv.compute_at(f.output, to);
    specialize_common_activations(f.output, f.activation);
}

}  // namespace hk::sched::gpu

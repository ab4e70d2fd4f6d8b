// conv2d, CUDA: one thread per (output channel, pixel); consecutive threads take consecutive
// output channels, so weight reads and output writes coalesce (HWIO and NHWC both keep
// channels innermost).
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::cuda {

inline void conv2d(Conv2DFuncs f, const Halide::Target &) {
    using namespace Halide;
    Var yn("yn"), bo("bo"), bx("bx"), by("by"), to("to"), tx("tx"), ty("ty");
    f.output.fuse(f.y, f.n, yn).gpu_tile(f.o, f.x, yn, bo, bx, by, to, tx, ty, 32, 4, 2, kGuard);
    f.conv.compute_at(f.output, to);
    specialize_common_activations(f.output, f.activation);
}

}  // namespace hk::sched::cuda

// conv2d, OpenCL: one work-item per (output channel, pixel), channels fastest-varying so
// accesses coalesce on GPUs and vectorize across work-items on CPU drivers (PoCL).
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::opencl {

inline void conv2d(Conv2DFuncs f, const Halide::Target &) {
    using namespace Halide;
    Var yn("yn"), bo("bo"), bx("bx"), by("by"), to("to"), tx("tx"), ty("ty");
    f.output.fuse(f.y, f.n, yn).gpu_tile(f.o, f.x, yn, bo, bx, by, to, tx, ty, 16, 8, 2, kGuard);
    f.conv.compute_at(f.output, to);
    specialize_common_activations(f.output, f.activation);
}

}  // namespace hk::sched::opencl

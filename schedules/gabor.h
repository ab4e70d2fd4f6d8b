// Schedule dispatch for the Gabor generator.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

struct GaborFuncs {
    Halide::Func output, conv, weights, bounded;
    Halide::RDom taps;            // (r.x, r.y) over the kernel taps
    Halide::Expr out_x_stride;    // == 1 when channels == 1 and pixels are dense
    Halide::Expr out_width, out_height;  // output extents along x and y
    Halide::Var c, x, y, n, i, j;
};

}  // namespace hk::sched

#include "schedules/cpu/gabor.h"
#include "schedules/cuda/gabor.h"
#include "schedules/opencl/gabor.h"

namespace hk::sched {

inline void schedule_gabor(GaborFuncs f, const Halide::Target &t) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::gabor(f, t);
    case TargetClass::opencl: return opencl::gabor(f, t);
    case TargetClass::cpu: return cpu::gabor(f, t);
    }
}

}  // namespace hk::sched

// Schedule dispatch for 2D correlations (generators/correlate.h): Gabor, filter2d.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

struct CorrelateFuncs {
    Halide::Func output, conv, bounded;
    Halide::RDom taps;            // (i, j, summed channel) over the kernel taps
    Halide::Expr out_x_stride;    // == 1 when channels == 1 and pixels are dense
    Halide::Expr out_width, out_height;  // output extents along x and y
    Halide::Expr activation;      // fused activation kind (undefined: none)
    Halide::Var c, x, y, n, i, j;
};

}  // namespace hk::sched

#include "schedules/cpu/correlate.h"
#include "schedules/cuda/correlate.h"
#include "schedules/opencl/correlate.h"

namespace hk::sched {

inline void schedule_correlate(CorrelateFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::correlate(f, t, k);
    case TargetClass::opencl: return opencl::correlate(f, t, k);
    case TargetClass::cpu: return cpu::correlate(f, t, k);
    }
}

}  // namespace hk::sched

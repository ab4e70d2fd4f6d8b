// Schedule dispatch for the separable generator.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

struct SeparableFuncs {
    Halide::Func output, bounded, rows, cols;
    Halide::RDom row_taps, col_taps;
    Halide::Expr activation;
    Halide::Expr out_x_stride;  // == 1 when channels == 1 and pixels are dense
    Halide::Var c, x, y, n, r;
};

}  // namespace hk::sched

#include "schedules/cpu/separable.h"
#include "schedules/cuda/separable.h"
#include "schedules/opencl/separable.h"

namespace hk::sched {

inline void schedule_separable(SeparableFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::separable(f, t, k);
    case TargetClass::opencl: return opencl::separable(f, t, k);
    case TargetClass::cpu: return cpu::separable(f, t, k);
    }
}

}  // namespace hk::sched

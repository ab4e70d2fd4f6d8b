// Schedule dispatch for the conv2d generator.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

struct Conv2DFuncs {
    Halide::Func output, conv, padded;
    Halide::RDom taps;            // (input channel in group, kx, ky)
    Halide::Expr groups, activation;
    Halide::Var o, x, y, n;
};

}  // namespace hk::sched

#include "schedules/cpu/conv2d.h"
#include "schedules/cuda/conv2d.h"
#include "schedules/opencl/conv2d.h"

namespace hk::sched {

inline void schedule_conv2d(Conv2DFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::conv2d(f, t, k);
    case TargetClass::opencl: return opencl::conv2d(f, t, k);
    case TargetClass::cpu: return cpu::conv2d(f, t, k);
    }
}

}  // namespace hk::sched

// Schedule dispatch for the activation generator.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

struct ActivationFuncs {
    Halide::Func output;
    Halide::Expr kind;  // activation kind, a runtime input
    Halide::Var c, x, y, n;
};

}  // namespace hk::sched

#include "schedules/cpu/activation.h"
#include "schedules/cuda/activation.h"
#include "schedules/opencl/activation.h"

namespace hk::sched {

inline void schedule_activation(ActivationFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::activation(f, t, k);
    case TargetClass::opencl: return opencl::activation(f, t, k);
    case TargetClass::cpu: return cpu::activation(f, t, k);
    }
}

}  // namespace hk::sched

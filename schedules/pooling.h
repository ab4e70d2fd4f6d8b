// Schedule dispatch for the pooling generator.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

struct PoolingFuncs {
    Halide::Func output, acc;
    Halide::RDom window;
    Halide::Expr kind;      // 0 max, 1 average
    Halide::Expr channels;  // output channel count
    Halide::Var c, x, y, n;
};

}  // namespace hk::sched

#include "schedules/cpu/pooling.h"
#include "schedules/cuda/pooling.h"
#include "schedules/opencl/pooling.h"

namespace hk::sched {

inline void schedule_pooling(PoolingFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::pooling(f, t, k);
    case TargetClass::opencl: return opencl::pooling(f, t, k);
    case TargetClass::cpu: return cpu::pooling(f, t, k);
    }
}

}  // namespace hk::sched

// Schedule dispatch for the Gabor bank generator.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

struct GaborBankFuncs {
    Halide::Func output, bounded, conv;  // conv(o, x, y, n): filter o % F on channel o / F
    Halide::RDom taps;
    Halide::Var o, x, y, n, c;        // c: bounded's channel variable
};

}  // namespace hk::sched

#include "schedules/cpu/gabor_bank.h"
#include "schedules/cuda/gabor_bank.h"
#include "schedules/opencl/gabor_bank.h"

namespace hk::sched {

inline void schedule_gabor_bank(GaborBankFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::gabor_bank(f, t, k);
    case TargetClass::opencl: return opencl::gabor_bank(f, t, k);
    case TargetClass::cpu: return cpu::gabor_bank(f, t, k);
    }
}

}  // namespace hk::sched

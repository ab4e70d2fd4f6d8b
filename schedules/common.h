// Shared vocabulary of the schedules. Schedules live here, apart from the algorithms in
// generators/: each kernel has one file per target class (cpu/, cuda/, opencl/) and a
// dispatch header that picks by the generator's target.
#pragma once
#include "Halide.h"

namespace hk::sched {

enum class TargetClass { cpu, cuda, opencl };

inline TargetClass target_class(const Halide::Target &t) {
    if (t.has_feature(Halide::Target::CUDA)) return TargetClass::cuda;
    if (t.has_feature(Halide::Target::OpenCL)) return TargetClass::opencl;
    return TargetClass::cpu;
}

// Outputs can be any size, including smaller than a tile: guard tails rather than shift them.
constexpr Halide::TailStrategy kGuard = Halide::TailStrategy::GuardWithIf;

// Ops with a fused activation pick it at run time; a plain select over all kinds would evaluate
// every kind (exp, tanh, erf) for every output. Specializing on the common kinds gives them
// straight-line code; the rest share the general case. Call after the op's own schedule (a
// specialization copies the schedule made so far).
inline void specialize_common_activations(Halide::Func f, const Halide::Expr &activation,
                                          const Halide::Expr &also = Halide::Expr()) {
    for (int kind : {0 /* none */, 1 /* relu */}) {
        if (also.defined()) f.specialize(also && activation == kind);
        f.specialize(activation == kind);
    }
}

}  // namespace hk::sched

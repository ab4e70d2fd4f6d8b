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

}  // namespace hk::sched

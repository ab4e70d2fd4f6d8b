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

// The hand schedules' tunable knobs. The build sets them per kernel and target class as
// generator parameters, from schedules/<class>/tuned.json (written by `./hk tune`); 0 keeps
// the schedule's own default, so an untuned kernel builds exactly as written. What each knob
// means is said by the schedule that reads it.
struct Knobs {
    int tile_vectors = 0;  // CPU: vectors of accumulators along the vectorized dimension
    int tile_rows = 0;     // CPU: rows (or pixels) of accumulators in a register tile
    int band = 0;          // CPU: tiles, rows or strips per parallel task
    int gpu_x = 0, gpu_y = 0;  // GPU: threads (work-items) per block along x and y

    static int pick(int knob, int fallback) { return knob > 0 ? knob : fallback; }
};

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

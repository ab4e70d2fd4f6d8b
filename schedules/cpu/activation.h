// Activation, CPU: one straight-line vector loop per activation kind over packed rows.
#pragma once
#include "generators/activation.h"

namespace hk::sched::cpu {

inline void activation(ActivationFuncs f, const Halide::Target &t) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    Var yn("yn"), cx("cx");
    f.output.fuse(f.y, f.n, yn).parallel(yn);
    for (int k = 0; k < hk::gen::kActCount; k++)
        f.output.specialize(f.dense && f.kind == k).fuse(f.c, f.x, cx).vectorize(cx, 2 * vec, kGuard);
    f.output.vectorize(f.x, vec, kGuard);  // strided tensors
}

}  // namespace hk::sched::cpu

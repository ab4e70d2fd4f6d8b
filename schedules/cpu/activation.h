// Activation, CPU: one straight-line vector loop per activation kind along the innermost
// (contiguous) dimension; rows in parallel.
#pragma once
#include "generators/activation.h"

namespace hk::sched::cpu {

inline void activation(ActivationFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    Var yn("yn");
    f.output.fuse(f.y, f.n, yn).parallel(yn).vectorize(f.c, Knobs::pick(k.tile_vectors, 2) * vec, kGuard);
    for (int k = 0; k < hk::gen::kActCount; k++) f.output.specialize(f.kind == k);
}

}  // namespace hk::sched::cpu

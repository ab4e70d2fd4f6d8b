// Pooling, CPU: vectors across channels (NHWC keeps them contiguous) when there are enough of
// them, else across x; rows of the output run in parallel.
#pragma once

namespace hk::sched::cpu {

inline void pooling(PoolingFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = Knobs::pick(k.tile_vectors, 1) * t.natural_vector_size<float>();
    Var yn("yn");
    f.output.fuse(f.y, f.n, yn).parallel(yn);
    const Expr wide = f.channels >= vec;
    f.output.specialize(wide && f.kind == 0).vectorize(f.c, vec, kGuard);
    f.output.specialize(wide).vectorize(f.c, vec, kGuard);
    f.output.specialize(f.kind == 0);
    f.acc.compute_at(f.output, f.x).vectorize(f.c, vec, kGuard);
    f.acc.update().vectorize(f.c, vec, kGuard);
}

}  // namespace hk::sched::cpu

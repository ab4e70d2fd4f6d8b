// Separable passes, CPU: bands of rows in parallel; per band the bordered input and the
// horizontal passes of every term are staged planar (x innermost), then the vertical pass
// accumulates the terms in registers, vectorized along x.
#pragma once

namespace hk::sched::cpu {

inline void separable(SeparableFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    // At least 2 vectors: with one, Halide's bounds for the register tile exceed its
    // bound_storage on some shapes (a run-time error the tuner's checks caught).
    const int tile_w = std::max(2, Knobs::pick(k.tile_vectors, 2)) * vec, band_rows = Knobs::pick(k.band, 32);
    Var yo("yo"), yi("yi"), xo("xo"), xi("xi");
    Func out = f.output;
    out.split(f.y, yo, yi, band_rows, kGuard)
        .fuse(yo, f.n, yo)
        .parallel(yo)
        .split(f.x, xo, xi, tile_w, kGuard)
        .reorder(xi, xo, f.c, yi, yo)  // channels outside the tile: cols is one channel
        .vectorize(xi, vec, kGuard);
    f.bounded.compute_at(out, yo).reorder_storage(f.x, f.c, f.y, f.n).vectorize(f.x, vec);
    f.rows.compute_at(out, yo).reorder_storage(f.x, f.c, f.r, f.y, f.n).vectorize(f.x, vec);
    f.rows.update()
        .reorder(f.x, f.row_taps.x, f.row_taps.y, f.c, f.r, f.y, f.n)
        .vectorize(f.x, vec, kGuard);
    f.cols.compute_at(out, xo).bound_storage(f.c, 1).bound_storage(f.x, tile_w).bound_storage(f.y, 1)
        .vectorize(f.x, vec).unroll(f.x);
    f.cols.update().reorder(f.x, f.col_taps.x, f.col_taps.y).vectorize(f.x, vec).unroll(f.x);
    specialize_common_activations(out, f.activation, f.out_x_stride == 1);
    out.specialize(f.out_x_stride == 1);
}

}  // namespace hk::sched::cpu

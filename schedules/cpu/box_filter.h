// Box filter, CPU (x86 multi-target). Bands of whole strips of rows run in parallel. Per band:
// the bordered input is staged once (border arithmetic only at the edges: the interior
// loop is partitioned free of it), horizontal running sums run over each needed row, then
// the vertical running sums slide down the band, vectorized across x.
#pragma once

namespace hk::sched::cpu {

// The box's stages computed per band (loop `band` of `out`); `out` must already be specialized
// on s.direct_rows (see specialize_box), so each branch computes one horizontal pass.
// Intermediates are stored planar (x innermost): vector accesses along x are dense for any
// channel count; only the input loads and output stores are strided when C > 1.
inline void box_stages_at(BoxStages s, Halide::Func out, Halide::Var band, int vec) {
    s.bounded.compute_at(out, band).reorder_storage(s.x, s.c, s.y, s.n).vectorize(s.x, vec);
    s.row_sum.compute_at(out, band).reorder_storage(s.x, s.c, s.y, s.n);  // band + k - 1 rows
    s.row_direct.compute_at(out, band).reorder_storage(s.x, s.c, s.y, s.n).vectorize(s.x, vec, kGuard);
    s.col_run.compute_at(out, band).reorder_storage(s.x, s.c, s.yi, s.ys, s.n);
    s.col_run.update(0).reorder(s.x, s.c).vectorize(s.x, vec, kGuard);
    s.col_run.update(1).reorder(s.x, s.c, s.step_y, s.ys, s.n).vectorize(s.x, vec, kGuard);
}

// The branches: direct horizontal sums or running sums (each only computes its own), each with
// `also` (a further condition worth its own code) first. Call after the loop structure is set.
inline void specialize_box(Halide::Func out, const Halide::Expr &direct_rows,
                           const Halide::Expr &also = Halide::Expr()) {
    if (also.defined()) out.specialize(direct_rows && also);
    out.specialize(direct_rows);
    if (also.defined()) out.specialize(also);
}

inline void box_filter(BoxFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    // Whole strips, so a band never splits a running sum; `band` (default 4) of them, so the
    // k - 1 extra rows of horizontal sums a band needs cost at most 1/band more, whatever k.
    const Expr band_rows = Knobs::pick(k.band, 4) * f.strip_y;
    Var yo("yo"), yin("yin");
    Func out = f.output;

    out.split(f.y, yo, yin, band_rows, kGuard)
        .fuse(yo, f.n, yo)
        .parallel(yo)
        .reorder(f.c, f.x, yin, yo)
        .vectorize(f.x, vec, kGuard);
    // One dense channel: every vector load and store below is contiguous.
    specialize_box(out, f.direct_rows, f.out_channels == 1 && f.out_x_stride == 1);

    box_stages_at(f.stages(), out, yo, vec);
}

}  // namespace hk::sched::cpu

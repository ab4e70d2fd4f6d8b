// Box filter, CPU (x86 multi-target). Bands of whole strips of rows run in parallel. Per band:
// the bordered input is staged once (border arithmetic only at the edges: the interior
// loop is partitioned free of it), horizontal running sums run over each needed row, then
// the vertical running sums slide down the band, vectorized across x.
#pragma once

namespace hk::sched::cpu {

inline void box_filter(BoxFuncs f, const Halide::Target &t) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    // Whole strips, so a band never splits a running sum; 4 of them, so the k - 1 extra rows of
    // horizontal sums a band needs cost at most 1/4 more, whatever k.
    const Expr band_rows = 4 * f.strip_y;
    Var yo("yo"), yin("yin");
    Func out = f.output;

    out.split(f.y, yo, yin, band_rows, kGuard)
        .fuse(yo, f.n, yo)
        .parallel(yo)
        .reorder(f.c, f.x, yin, yo)
        .vectorize(f.x, vec, kGuard);
    // One dense channel: every vector load and store below is contiguous.
    out.specialize(f.out_channels == 1 && f.out_x_stride == 1);

    // Intermediates are stored planar (x innermost): vector accesses along x are dense for any
    // channel count; only the input loads and output stores are strided when C > 1.
    f.bounded.compute_at(out, yo).reorder_storage(f.x, f.c, f.y, f.n).vectorize(f.x, vec);
    f.row_sum.compute_at(out, yo).reorder_storage(f.x, f.c, f.y, f.n);  // band + k - 1 rows

    f.col_run.compute_at(out, yo).reorder_storage(f.x, f.c, f.yi, f.ys, f.n);
    f.col_run.update(0).reorder(f.x, f.c).vectorize(f.x, vec, kGuard);
    f.col_run.update(1).reorder(f.x, f.c, f.step_y, f.ys, f.n).vectorize(f.x, vec, kGuard);
}

}  // namespace hk::sched::cpu

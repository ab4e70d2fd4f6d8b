// Box filter, CPU (x86 multi-target). Bands of whole strips of rows run in parallel; per band
// the horizontal running sums are computed once per needed row (scalar scans), then the
// vertical running sums slide down the band vectorized across (channel, x), which is dense.
#pragma once

namespace hk::sched::cpu {

inline void box_filter(BoxFuncs f, const Halide::Target &t) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    const int band_rows = 4 * f.strip;  // whole strips, so a band never splits a running sum
    Var yo("yo"), yin("yin"), cx("cx"), cx0("cx0"), cx1("cx1");
    Func out = f.output;

    out.split(f.y, yo, yin, band_rows, kGuard)
        .fuse(yo, f.n, yo)
        .parallel(yo)
        .vectorize(f.x, vec, kGuard);
    out.specialize(f.out_x_stride == 1);

    // Rows of horizontal sums needed by the band (band + k - 1 of them).
    f.row_sum.compute_at(out, yo);

    f.col_run.compute_at(out, yo);
    f.col_run.update(0).fuse(f.c, f.x, cx).vectorize(cx, vec, kGuard);
    f.col_run.update(1)
        .reorder(f.c, f.x, f.step_y, f.ys, f.n)
        .fuse(f.c, f.x, cx)
        .vectorize(cx, vec, kGuard);
}

}  // namespace hk::sched::cpu

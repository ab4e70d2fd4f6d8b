// Schedule of the box filter (generators/box_filter.h).
//   CPU: bands of whole strips of rows run in parallel. Per band: the bordered input is staged
//     once, the horizontal pass (direct sums or running sums) runs over each needed row, then
//     the vertical running sums slide down the band, vectorized across x.
//   GPU: each pass's running sums run serially inside one thread per strip (horizontal: per
//     strip and row; vertical: per strip and column).
#pragma once
#include <vector>

#include "Halide.h"
#include "generators/box_filter.h"
#include "generators/dims.h"
#include "schedules/border.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

// CPU: the box's stages computed per band (loop `band` of `out`); `out` must already be
// specialized on box.direct_rows (see specialize_box), so each branch computes one horizontal
// pass. Intermediates are stored planar (x innermost): vector accesses along x are dense for
// any channel count; only the input loads and output stores are strided when C > 1.
inline void box_stages_at(gen::BoxDef box, Halide::Func out, const Halide::Var &band, int vec,
                          const Halide::Expr &pixel_stride) {
    const gen::Dims d;
    stage_bordered(box.input, out, band, vec, pixel_stride);
    box.row_sum.compute_at(out, band).reorder_storage(d.x, d.c, d.y, d.n);  // band + k - 1 rows
    box.row_sum.update(0).unscheduled();  // each strip's first column: one direct k-sum per row
    // The running sum along x is a serial chain per row: eight rows' chains interleaved (scalar,
    // unrolled) keep the adder busy instead of waiting on each add's latency (k = 31, 1080p,
    // AVX2, with generators/box_filter.h's longer strips: 3.8-5.4 -> 2.8-3.4 ms).
    Halide::Var rows_o("rows_o"), rows_i("rows_i");
    box.row_sum.update(1)
        .split(d.y, rows_o, rows_i, 8, kGuard)
        .reorder(rows_i, d.c, box.step_x.x, box.step_x.y, rows_o, d.n)
        .unroll(rows_i);
    // Four vectors at a time: the k-sum along x is one chain of dependent adds per vector, and
    // four chains keep the adder busy (one chain measured latency-bound: 22% of fused model 2).
    box.row_direct.compute_at(out, band).reorder_storage(d.x, d.c, d.y, d.n).vectorize(d.x, 4 * vec, kGuard);
    if (box.quad_rows.defined()) {
        box.row_quads.compute_at(out, band).reorder_storage(d.x, d.c, d.y, d.n).vectorize(d.x, 4 * vec, kGuard);
        // The sums of 4 columns, one row of them (all channels) at a time: it stays in L1.
        box.quads.compute_at(box.row_quads, d.y)
            .reorder_storage(d.x, d.c, d.y, d.n)
            .reorder(d.x, d.c)
            .vectorize(d.x, vec, kGuard);
    }
    box.col_run.compute_at(out, band).reorder_storage(d.x, d.c, box.yi, box.ys, d.n);
    box.col_run.update(0).reorder(d.x, d.c).vectorize(d.x, vec, kGuard);
    box.col_run.update(1).reorder(d.x, d.c, box.step_y, box.ys, d.n).vectorize(d.x, vec, kGuard);
}

// GPU: the box's running-sum stages as kernels of their own, one thread per strip.
inline void box_stages_root(gen::BoxDef box, GpuBlock block) {
    const gen::Dims d;
    bordered_on_gpu(box.input, block);
    box.row_sum.compute_root();
    // Strips are disjoint ranges of x, so threads over strips never write the same column.
    gpu_tile_stage(box.row_sum.update(0).allow_race_conditions(), box.strips_x, d.y, block);
    gpu_tile_stage(box.row_sum.update(1).allow_race_conditions().reorder(box.step_x.x, d.c, box.step_x.y, d.y, d.n),
                   box.step_x.y, d.y, block);
    gpu_tile_pixels(box.row_direct.compute_root(), block);  // (no quads on GPUs: box_min_quads)
    box.col_run.compute_root();
    gpu_tile_stage(box.col_run.update(0), d.x, box.ys, block);
    gpu_tile_stage(box.col_run.update(1).reorder(box.step_y, d.c, d.x, box.ys, d.n), d.x, box.ys, block);
}

// Specializes `out` on `cond` or, where the box has quads, on `cond && quad_rows` and `cond &&
// !quad_rows`: each branch then reads one horizontal pass (with `cond` alone the vertical pass
// loaded both row_quads and row_direct and blended them: box k3 1.2x slower). Returns the
// branches.
inline std::vector<Halide::Stage> specialize_direct(Halide::Func out, const gen::BoxDef &box, const Halide::Expr &cond) {
    if (!box.quad_rows.defined()) return {out.specialize(cond)};
    return {out.specialize(cond && box.quad_rows), out.specialize(cond && !box.quad_rows)};
}

// The branches: direct horizontal sums (from quads or not) or running sums (each only computes
// its own), each with `also` (a further condition worth its own code) first. Call after the
// loop structure is set.
inline void specialize_box(Halide::Func out, const gen::BoxDef &box, const Halide::Expr &also = Halide::Expr()) {
    if (also.defined()) specialize_direct(out, box, box.direct_rows && also);
    specialize_direct(out, box, box.direct_rows);
    if (also.defined()) out.specialize(also);
}

// `output`: the generator's output, defined as box.output over the input or, when
// `sum_channels`, over channel_sum.
inline void schedule_box_filter(gen::BoxDef box, gen::ChannelSum channel_sum, const Halide::Expr &sum_channels,
                                Halide::Func output, const Halide::Expr &pixel_stride, const Halide::Target &t,
                                Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        const GpuBlock block = kPixelBlocks.pick(t, knobs);
        box_stages_root(box, block);
        gpu_tile_pixels(channel_sum.sum.compute_root(), block);
        gpu_tile_stage(channel_sum.sum.update(), d.x, d.y, block);
        gpu_tile_pixels(output, block);
        specialize_direct(output, box, sum_channels && box.direct_rows);
        output.specialize(sum_channels);
        specialize_direct(output, box, box.direct_rows);  // each branch computes one horizontal pass
        return;
    }
    const int vec = t.natural_vector_size<float>();
    // Whole strips, so a band never splits a running sum; strips_per_task of them, so the k - 1
    // extra rows of horizontal sums a band needs cost at most 1/strips_per_task more, whatever k.
    const Expr band_rows = knobs.get("strips_per_task", 4, {1, 2, 4, 8}) * box.strip_y;
    Var yo("yo"), yin("yin");
    output.split(d.y, yo, yin, band_rows, kGuard)
        .fuse(yo, d.n, yo)
        .parallel(yo)
        .reorder(d.c, d.x, yin, yo)
        .vectorize(d.x, vec, kGuard);
    // The channel sums of a band, planar like the staged input.
    channel_sum.sum.compute_at(output, yo).reorder_storage(d.x, d.c, d.y, d.n).vectorize(d.x, vec, kGuard);
    channel_sum.sum.update().reorder(d.x, channel_sum.channels, d.y).vectorize(d.x, vec, kGuard);
    // One dense channel: every vector load and store below is contiguous.
    const OutputImageParam buf = output.output_buffer();
    const Expr dense = one_dense_channel(buf);
    specialize_direct(output, box, sum_channels && box.direct_rows);
    output.specialize(sum_channels);
    // Packed RGB: the three channels of a vector of pixels stored together (channel loop
    // unrolled inside the vector loop), which Halide turns into dense interleaving stores;
    // otherwise each channel is a strided scatter (measured: box k3 256x256x3 spent most of its
    // time in single-lane stores). Only with direct horizontal sums: with the running sums (k >
    // direct_max) the unrolled channels measured slower (k31 256x256x3 0.36 -> 0.58 ms, when k31
    // took the running sums on AVX2).
    const Expr rgb = packed_rgb(buf);
    for (Stage branch : specialize_direct(output, box, box.direct_rows && rgb)) branch.unroll(d.c, 3, kGuard);
    specialize_box(output, box, dense);
    box_stages_at(box, output, yo, vec, pixel_stride);
}

}  // namespace hk::sched

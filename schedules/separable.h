// Schedule of the separable passes (generators/separable.h).
//   CPU: bands of rows_per_task rows in parallel; per band the bordered input and the
//     horizontal passes of every term are staged planar (x innermost), then the vertical pass
//     accumulates the terms in registers, vectorized along x (vectors_per_tile vectors).
//   GPU: the bordered input and each term's horizontal pass materialized once (kernels over
//     pixels), then one thread per output pixel sums the vertical passes.
#pragma once
#include <algorithm>

#include "Halide.h"
#include "generators/dims.h"
#include "generators/separable.h"
#include "schedules/border.h"
#include "schedules/common.h"
#include "schedules/correlate.h"
#include "schedules/knobs.h"

namespace hk::sched {

// `output`: the generator's output, the activation of passes.cols.
inline void schedule_separable(gen::SeparablePasses passes, Halide::Func output, const Halide::Expr &pixel_stride,
                               const Halide::Expr &activation, const Halide::Target &t, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        const GpuBlock block = kPixelBlocks.pick(t, knobs);
        bordered_on_gpu(passes.input, block);
        passes.rows.compute_root().reorder(d.c, d.x, d.y, passes.r, d.n);
        gpu_tile_stage(passes.rows, d.x, d.y, block);
        gpu_tile_stage(passes.rows.update(), d.x, d.y, block);
        passes.cols.compute_at(output, gpu_tile_pixels(output, block));
        specialize_common_activations(output, activation);
        return;
    }
    const int vec = t.natural_vector_size<float>();
    // At least 2 vectors: with one, Halide's bounds for the register tile exceed its
    // bound_storage on some shapes (a run-time error the tuner's checks caught).
    const int tile_w = std::max(2, knobs.get("vectors_per_tile", 2, {2, 4})) * vec;
    const int band_rows = knobs.get("rows_per_task", 32, {16, 32, 64});
    Var yo("yo"), yi("yi"), xo("xo"), xi("xi");
    output.split(d.y, yo, yi, band_rows, kGuard)
        .fuse(yo, d.n, yo)
        .parallel(yo)
        .split(d.x, xo, xi, tile_w, kGuard)
        .reorder(xi, xo, d.c, yi, yo)  // channels outside the tile: cols is one channel
        .vectorize(xi, vec, kGuard);
    stage_bordered(passes.input, output, yo, vec, pixel_stride);
    passes.rows.compute_at(output, yo).reorder_storage(d.x, d.c, passes.r, d.y, d.n).vectorize(d.x, vec);
    // The taps inside a run of 4 vectors along x, so each run's sums stay in registers over the
    // taps; with the taps outermost every tap loaded, added to and stored the whole row again
    // (load + FMA + store per vector and tap: 47% of sep 15 at 1080p, bound by the stores).
    // Runs of 8 vectors (8 FMA chains) measured no different on AVX2.
    Var rxo("rxo"), rxi("rxi");
    passes.rows.update()
        .split(d.x, rxo, rxi, 4 * vec, kGuard)
        .reorder(rxi, passes.row_taps.x, passes.row_taps.y, rxo, d.c, passes.r, d.y, d.n)
        .vectorize(rxi, vec, kGuard)
        .unroll(rxi);
    passes.cols.compute_at(output, xo)
        .bound_storage(d.c, 1)
        .bound_storage(d.x, tile_w)
        .bound_storage(d.y, 1)
        .vectorize(d.x, vec)
        .unroll(d.x);
    passes.cols.update().reorder(d.x, passes.col_taps.x, passes.col_taps.y).vectorize(d.x, vec).unroll(d.x);
    const Expr dense = output.output_buffer().dim(1).stride() == 1;
    specialize_common_activations(output, activation, dense);
    output.specialize(dense);
}

}  // namespace hk::sched

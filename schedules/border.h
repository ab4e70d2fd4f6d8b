// Schedule of the bordered input (generators/border.h), shared by every filter and fused model.
// Its pure definition is the image's interior (plus a row border formula that is a scalar per
// row); updates 0 and 1 rewrite the left and right margin columns.
#pragma once
#include "Halide.h"
#include "generators/dims.h"
#include "schedules/common.h"

namespace hk::sched {

// CPU: staged at loop `at` of `consumer`, planar (x innermost): dense along x for any channel
// count. The margin updates are scalar loops over a few columns per row.
// `pixel_stride`: the input buffer's dim(1).stride(), i.e. its channel count when packed. The
// copy specializes on 1 (dense vector loads) and 3 (RGB: dense loads and shuffles); any other
// stride is a run-time value and its loads are gathers. Only this small loop is duplicated.
inline void stage_bordered(Halide::Func bordered, Halide::Func consumer, const Halide::Var &at, int vec,
                           const Halide::Expr &pixel_stride) {
    const gen::Dims d;
    // Loops in storage order, x innermost: with the channel loop innermost (the Func's argument
    // order) a one-channel image ran a one-iteration loop and its setup per vector of pixels,
    // and every channel's vector went to another plane. (The copy stays ~30% of the 3x3
    // derivative at 1080p on AVX2: it is where the input streams in from memory.)
    bordered.compute_at(consumer, at).reorder_storage(d.x, d.c, d.y, d.n).reorder(d.x, d.c, d.y, d.n).vectorize(d.x, vec);
    bordered.update(0).unscheduled();
    bordered.update(1).unscheduled();
    bordered.specialize(pixel_stride == 1);
    bordered.specialize(pixel_stride == 3);
}

// GPU: materialized once: one thread per pixel, then one thread per row for each margin (its
// few columns and the channels in a loop).
inline void bordered_on_gpu(Halide::Func bordered, GpuBlock block) {
    const gen::Dims d;
    gpu_tile_pixels(bordered.compute_root(), block);
    for (int margin : {0, 1}) gpu_tile_stage(bordered.update(margin), d.y, d.n, {block.x * block.y, 1});
}

}  // namespace hk::sched

// Schedule of the 2D correlation (generators/correlate.h): the Gabor filter and filter2d. The
// weights are computed once per call (on the host for GPU targets).
//   CPU: register-blocked direct correlation. Each tile of vectors_per_tile vectors x
//     rows_per_tile rows of one channel keeps its accumulators in registers while the taps loop
//     runs; the bordered input is staged once per band of tile rows, stored planar (x
//     innermost), so every tap is a dense vector load whatever the channel count.
//   OpenCL: each work-item computes 8 outputs along x (one float8) on rows_per_item rows, so
//     the taps loop is register-blocked vector code on CPU drivers (PoCL).
//   CUDA: one thread per output pixel (all its channels), accumulators in registers.
//   GPUs materialize the bordered input once, so the taps loop carries no border selects.
#pragma once
#include <algorithm>
#include <vector>

#include "Halide.h"
#include "generators/correlate.h"
#include "generators/dims.h"
#include "schedules/border.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

// The register tile shared by every correlation-like kernel (the filters, the Gabor bank, the
// fused Gabor -> conv2d model): the accumulators of one channel x `width` x `rows` block of
// `sum`, computed at loop `at` of `consumer`. Constant-size storage, vectorized along x and
// unrolled, so they stay in registers over the whole taps loop. `channel`: sum's channel Var.
// `rgb`, where defined: the condition under which the consumer reads the tiles of all three
// channels of packed RGB together (schedule_correlate); under it the tile holds 3 channels and
// their loop is unrolled, so every accumulator has a constant index and stays in a register.
// Elsewhere a tile holds one channel (its channel loop has a single iteration).
inline void register_tile(Halide::Func sum, const Halide::RDom &taps, const Halide::Var &channel,
                          Halide::Func consumer, const Halide::Var &at, int vec, int width, int rows,
                          const Halide::Expr &rgb = Halide::Expr()) {
    const gen::Dims d;
    sum.compute_at(consumer, at)
        .reorder_storage(d.x, d.y, channel)  // a channel's vectors dense: no shuffles to reach them
        .bound_storage(channel, rgb.defined() ? 3 : 1)
        .bound_storage(d.x, width)
        .bound_storage(d.y, rows)
        .vectorize(d.x, vec)
        .unroll(d.x)
        .unroll(d.y);
    std::vector<Halide::VarOrRVar> order{d.x, d.y};
    for (int i = 0; i < taps.dimensions(); i++) order.emplace_back(taps[i]);
    order.emplace_back(channel);
    Halide::Stage taps_loop = sum.update().reorder(order).vectorize(d.x, vec).unroll(d.x).unroll(d.y);
    // 3 x 3 kernels (derivatives, the seed's filters) get their nine taps unrolled. Rolled, the
    // loop's own counting and address arithmetic took as many instructions as its FMAs (profile
    // of the 3x3 derivative at 1080p, AVX-512: 0.69 -> 0.58 ms unrolled). Unrolling 5 x 5 and
    // 7 x 7 too was measured and dropped: Gabor k5 / k7 got slower (1.15 -> 1.33, 1.73 -> 2.01
    // ms), only filter2d 7x7 gained (1.88 -> 1.52), and the fused Gabor -> conv2d library took
    // 182 s to generate instead of 51.
    auto unroll_3x3 = [&](Halide::Stage s) {
        s.specialize(taps.x.extent() == 3 && taps.y.extent() == 3)
            .unroll(taps.x, 3, Halide::TailStrategy::GuardWithIf)
            .unroll(taps.y, 3, Halide::TailStrategy::GuardWithIf);
    };
    if (rgb.defined()) {
        sum.specialize(rgb).unroll(channel, 3, kGuard);
        unroll_3x3(taps_loop.specialize(rgb).unroll(channel, 3, kGuard));
    }
    unroll_3x3(taps_loop);
}

// The CPU register tile's shape: knobs vectors_per_tile (x) and rows_per_tile (y). At least 2
// vectors: with one, Halide's bounds for the tile exceed its bound_storage on some shapes (a
// run-time error the tuner's checks caught).
struct RegisterTile {
    int vec, width, rows;
    RegisterTile(const Halide::Target &t, Knobs &knobs)
        : vec(t.natural_vector_size<float>()),
          width(std::max(2, knobs.get("vectors_per_tile", 2, {2, 3})) * vec),
          rows(knobs.get("rows_per_tile", 4, {2, 4, 6})) {}
};

// The loops of cpu_tiles: `band` (parallel), where the kernel's input is staged; `tile_x`, where
// the register tile is computed; `x`, `y`: the pixels of a tile.
struct TileLoops {
    Halide::Var band{"band"}, tile_x{"xo"}, x{"xin"}, y{"yin"};
};

// Tiles of `out` (one channel `channel` each, channel loop outside the tile so the tile is a
// constant-size block), bands of tile_rows_per_task tile rows in parallel.
inline TileLoops cpu_tiles(Halide::Func out, const Halide::Var &channel, const RegisterTile &tile, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    const int band_tiles = knobs.get("tile_rows_per_task", 8, {4, 8, 16});
    TileLoops loops;
    Var yo("yo");
    out.tile(d.x, d.y, loops.tile_x, yo, loops.x, loops.y, tile.width, tile.rows, kGuard)
        .reorder(loops.x, loops.y, loops.tile_x, channel, yo, d.n)
        .split(yo, loops.band, yo, band_tiles, kGuard)
        .fuse(loops.band, d.n, loops.band)
        .parallel(loops.band)
        .vectorize(loops.x, tile.vec, kGuard);
    return loops;
}

// `activation`: the fused activation input, or undefined when the kernel has none (Gabor).
// `pixel_stride`: the input buffer's dim(1).stride() (schedules/border.h).
inline void schedule_correlate(gen::Correlation corr, Halide::Func output, const Halide::Expr &pixel_stride,
                               const Halide::Expr &activation, const Halide::Target &t, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    corr.weights.compute_root();  // once per call, on the host for GPU targets
    if (t.has_gpu_feature() && is_cuda(t)) {
        const GpuBlock block = kPixelBlocks.pick(t, knobs);
        bordered_on_gpu(corr.input, block);
        corr.sum.compute_at(output, gpu_tile_pixels(output, block));
    } else if (t.has_gpu_feature()) {  // OpenCL
        constexpr int kVec = 8;
        bordered_on_gpu(corr.input, kPixelBlocks.opencl);
        // Each work-item: a block of 8 (x, one float8) by `rows` rows of one channel,
        // accumulators in registers; the channel loop sits outside the work-item grid.
        const int rows = knobs.get("rows_per_item", 4, {2, 4, 8});
        const GpuBlock block = GpuBlocks{{16, 4}, {16, 4}}.pick(t, knobs);
        const OutputImageParam buf = output.output_buffer();
        Var xo("xo"), xv("xv"), yn("yn"), yi("yi"), bx("bx"), by("by"), tx("tx"), ty("ty");
        output.specialize(buf.dim(1).extent() >= kVec && buf.dim(2).extent() >= rows)
            .split(d.x, xo, xv, kVec, TailStrategy::ShiftInwards)
            .split(d.y, yn, yi, rows, TailStrategy::ShiftInwards)
            .reorder(xv, yi, xo, yn, d.c, d.n)
            .gpu_tile(xo, yn, bx, by, tx, ty, block.x, block.y, kGuard)
            .vectorize(xv)
            .unroll(yi);
        // Narrow or short images: one pixel per work-item.
        output.split(d.x, xo, xv, 1)
            .split(d.y, yn, yi, 1)
            .reorder(xv, yi, xo, yn, d.c, d.n)
            .gpu_tile(xo, yn, bx, by, tx, ty, block.x, block.y, kGuard);
        corr.sum.compute_at(output, tx).bound_storage(d.c, 1).vectorize(d.x, kVec, TailStrategy::RoundUp).unroll(d.y);
        corr.sum.update()
            .reorder(d.x, d.y, corr.taps.x, corr.taps.y, corr.taps.z, d.c)
            .vectorize(d.x, kVec, TailStrategy::RoundUp)
            .unroll(d.y);
    } else {
        const RegisterTile tile(t, knobs);
        const TileLoops loops = cpu_tiles(output, d.c, tile, knobs);
        stage_bordered(corr.input, output, loops.band, tile.vec, pixel_stride);
        // Packed RGB output: the tiles of the three channels computed together and the
        // channel loop unrolled inside the pixels' vector loop, so Halide interleaves the three
        // channels' vectors into dense stores (one channel per tile stored every lane on its
        // own: 25-30% of the 3x3 derivative at 256x256x3, AVX2).
        const OutputImageParam buf = output.output_buffer();
        const Expr rgb_output = packed_rgb(buf);
        Stage rgb = output.specialize(rgb_output);
        rgb.reorder(d.c, loops.x, loops.y, loops.tile_x).unroll(d.c, 3, kGuard);
        if (activation.defined()) specialize_common_activations(rgb, activation);
        register_tile(corr.sum, corr.taps, d.c, output, loops.tile_x, tile.vec, tile.width, tile.rows, rgb_output);
    }
    // Dense stores (CPU) when the output is single-channel and packed.
    const Expr dense = output.output_buffer().dim(1).stride() == 1;
    if (activation.defined()) specialize_common_activations(output, activation, t.has_gpu_feature() ? Expr() : dense);
    if (!t.has_gpu_feature()) output.specialize(dense);
}

}  // namespace hk::sched

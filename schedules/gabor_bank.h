// Schedule of the Gabor bank (generators/gabor_bank.h). The filters' taps are computed once per
// call (on the host for GPU targets).
//   CPU: on one input channel (a grey image), blocks of vectors of filters x pixels, as
//     conv2d's register block (by_filter_blocks); otherwise as the correlation
//     (schedules/correlate.h), one output channel (one filter on one input channel) per
//     register tile. The bordered input is staged once per band for all filters.
//   GPU: the bordered input materialized once, then one thread per output pixel, its output
//     channels in a loop, accumulators in registers.
#pragma once
#include <algorithm>
#include <vector>

#include "Halide.h"
#include "generators/dims.h"
#include "generators/gabor_bank.h"
#include "schedules/border.h"
#include "schedules/common.h"
#include "schedules/correlate.h"
#include "schedules/knobs.h"

namespace hk::sched {

// CPU, one input channel (GaborBankDef::sum_by_filter): blocks of filter_vectors_per_block
// vectors of filters x filter_block_pixels pixels, as conv2d's register block
// (schedules/conv2d.h): per tap, a dense weight load per vector and one broadcast input per
// pixel. AVX2 and SSE4.1: 2 x 6 (12 accumulators + 2 weights + a broadcast of 16 registers;
// 16 filters, the usual bank of 4 orientations x 2 scales x 2 phases, are 2 ymm). AVX-512: one
// zmm holds those 16 filters, so 1 x 12 (12 FMA chains where 2 pipes of 4 cycles need 8; 2 x 8
// would leave half of each block guarded off at 16 filters). Measured on Zen 4 (avx512_skylake
// on 256-bit units), 16 filters of 15 x 15 at 256x256x1, 6 paired rounds: one thread 4.63 ms
// (102 GFLOP/s, ~93% of one core's FMA peak), 2 threads 2.48; 1 x 16 4.64 / 2.43, equal.
// Per filter tile (below) every tap was an unaligned vector load per accumulator: ~35% of the
// FMA peak at 16 filters of 15 x 15 (AVX2).
// The filter blocks outermost in a band (a block's weights, 15 x 15 x 16 floats = 14 KiB, stay
// in L1 over the band's pixels). Loops named as cpu_tiles' (TileLoops) where other stages are
// placed: the band, where the input is staged, and the pixel blocks, where each branch's
// accumulators are computed.
inline void by_filter_blocks(gen::GaborBankDef bank, Halide::Func output, const RegisterTile &tile,
                             const Halide::Target &t, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    const bool zmm32 = vector_registers(t) >= 32;
    const int filters = knobs.get("filter_vectors_per_block", zmm32 ? 1 : 2, {1, 2}) * tile.vec;
    const int pixels = knobs.get("filter_block_pixels", zmm32 ? 12 : 6, {4, 6, 8, 12});
    const int band_rows = knobs.get("filter_block_rows_per_task", 16, {8, 16, 32});
    const TileLoops loops;
    const Var band = loops.band, xo = loops.tile_x;
    Var fo("fo"), fi("fi"), xi("xi_f"), yo("yo"), yi("yi");
    Stage one = output.specialize(bank.one_channel);
    one.split(d.o, fo, fi, filters, kGuard)
        .split(d.x, xo, xi, pixels, kGuard)
        .split(d.y, yo, yi, band_rows, kGuard)
        .reorder(fi, xi, xo, fo, yi, yo, d.n)
        .fuse(yo, d.n, band)
        .parallel(band)
        .vectorize(fi, tile.vec, kGuard)
        .unroll(fi)
        .unroll(xi);
    // Guarded: the weights end at F, never read past them. Halide checks each accumulator's
    // storage bounds in every branch, also where it is not computed (the default branch's tile
    // loop is also `xo`): both bound to the larger of the two blocks (see schedule_gabor_bank).
    bank.sum_by_filter.compute_at(output, xo)
        .bound_storage(d.o, filters)
        .bound_storage(d.x, std::max(pixels, tile.width))
        .vectorize(d.o, tile.vec, kGuard)
        .unroll(d.o)
        .unroll(d.x);
    bank.sum_by_filter.update()
        .reorder(d.o, d.x, bank.taps.x, bank.taps.y)
        .vectorize(d.o, tile.vec, kGuard)
        .unroll(d.o)
        .unroll(d.x);
    const std::vector<Var> w = bank.weights_by_filter.args();  // (i, j, f): stored f innermost
    bank.weights_by_filter.compute_root().reorder_storage(w[2], w[0], w[1]);
}

// `output`: the generator's output, defined as bank.output.
inline void schedule_gabor_bank(gen::GaborBankDef bank, Halide::Func output, const Halide::Expr &pixel_stride,
                                const Halide::Target &t,
                                Knobs &knobs) {
    const gen::Dims d;
    bank.weights.compute_root();
    if (t.has_gpu_feature()) {
        const GpuBlock block = kPixelBlocks.pick(t, knobs);
        bordered_on_gpu(bank.input, block);
        bank.sum.compute_at(output, gpu_tile_pixels(output, block));
        return;
    }
    const RegisterTile tile(t, knobs);
    if (bank.one_channel.defined()) by_filter_blocks(bank, output, tile, t, knobs);
    const TileLoops loops = cpu_tiles(output, d.o, tile, knobs);
    stage_bordered(bank.input, output, loops.band, tile.vec, pixel_stride);
    register_tile(bank.sum, bank.taps, d.o, output, loops.tile_x, tile.vec, tile.width, tile.rows);
    // The one-channel branch's blocks span up to 2 vectors of filters at `xo` (by_filter_blocks).
    if (bank.one_channel.defined()) bank.sum.bound_storage(d.o, 2 * tile.vec);
}

}  // namespace hk::sched

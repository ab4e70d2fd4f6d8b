// Schedule of conv2d (generators/conv2d.h).
//   CPU: direct convolution register-blocked over a block of output channel vectors x pixels;
//     per tap, one weight vector per channel vector and one broadcast input per pixel, so the
//     block's accumulators (and its weights and a broadcast) must fit the vector register file:
//       AVX-512 (32 zmm of 16 floats): 4 channel vectors x 4 pixels = 16 accumulators, + 4
//         weights + a broadcast. Halide's apps/conv_layer takes 4 x 5 on Skylake (20
//         accumulators), the default here until 2026-12-02; 4 pixels divide the CNN widths
//         224/112/56 where 5 leaves a tail block per row (3x3 64->64 @56x56: 10% of the time),
//         and every AVX-512 measurement put 4 x 4 ahead, within each run's noise: ./hk tune on
//         Zen 5 twice (0.48 vs 0.62, 0.369 vs 0.388 ms geomean), one thread on Zen 4 (64->64
//         2.13-2.21 vs 2.23-2.51 ms; 16 FMAs per 8 loads stays under its 1 zmm load per cycle).
//         Layers with at most 32 output channels take 2 vectors x 10 pixels instead, which keeps
//         20 accumulators busy without computing guarded channels.
//       AVX2 / SSE4.1 (16 registers): 2 vectors x 4 pixels (measured best on an AVX2 machine,
//         docs/tuning.md: 3 vectors leave a guarded third of 64 channels).
//     Layers with at most 4 input channels (the seed's RGB -> 32) reduce over one contiguous
//     (kx, c) run per kernel row instead (Conv2DDef::rows), 2 vectors x 8 pixels on AVX-512 and
//     2 x 6 on AVX2.
//     The zero-padded input rows a band of rows_per_task output rows needs are staged once per
//     band, vectorized along the channels where there are at least a vector of them.
//   GPU: one thread per (output channel, pixel); consecutive threads take consecutive output
//     channels, so weight reads and output writes coalesce (HWIO and NHWC both keep channels
//     innermost).
#pragma once
#include <algorithm>
#include <vector>

#include "Halide.h"
#include "generators/conv2d.h"
#include "generators/dims.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

// CPU: the accumulators `acc` of a `channels` (output channels) x `pixels` block, computed at
// loop `at` of `out`: constant-size storage and unrolled, so they stay in registers over the
// taps (`taps`, innermost first). Its storage is bounded to the block where branches of `out`
// tile it differently (bound_storage, checked where the realization is placed, also in the
// branches that do not read `acc`: an accumulator read by one branch only is left unbounded).
inline void conv_register_block(Halide::Func acc, const std::vector<Halide::VarOrRVar> &taps, Halide::Func out,
                                const Halide::Var &at, int vec, int channels, int pixels, bool bound_storage) {
    const gen::Dims d;
    // Guarded: weights and bias end at O, never read past them.
    acc.compute_at(out, at).vectorize(d.o, vec, kGuard).unroll(d.o).unroll(d.x);
    if (bound_storage) acc.bound_storage(d.o, channels).bound_storage(d.x, pixels);
    std::vector<Halide::VarOrRVar> order{d.o, d.x};
    order.insert(order.end(), taps.begin(), taps.end());
    acc.update().reorder(order).vectorize(d.o, vec, kGuard).unroll(d.o).unroll(d.x);
}

// The CPU register block's shape: knobs channel_vectors_per_tile and pixels_per_tile, the
// block for layers with many output channels; narrow_pixels_per_tile, the pixels of the block
// for layers with at most 2 vectors of output channels (then 2 x narrow_pixels);
// few_channel_pixels_per_tile, the pixels of the 2-vector block of the few-input-channel
// reduction (Conv2DDef::rows): 2 vectors x 8 pixels on AVX-512 (16 accumulators + 2 weights + a
// broadcast of 32 zmm), 2 x 6 on AVX2 (12 + 3 of 16 ymm).
struct ConvBlock {
    int vec, channels, pixels;
    int narrow_channels, narrow_pixels;
    int few_channels, few_pixels;
    ConvBlock(const Halide::Target &t, Knobs &knobs) : vec(t.natural_vector_size<float>()) {
        const bool zmm32 = vector_registers(t) >= 32;
        channels = knobs.get("channel_vectors_per_tile", zmm32 ? 4 : 2, {2, 3, 4}) * vec;
        pixels = knobs.get("pixels_per_tile", 4, {4, 5, 6});  // on every ISA: see the top of this file
        narrow_channels = std::min(channels, 2 * vec);
        narrow_pixels = knobs.get("narrow_pixels_per_tile", zmm32 ? 10 : 4, {6, 10});
        few_channels = 2 * vec;
        few_pixels = knobs.get("few_channel_pixels_per_tile", zmm32 ? 8 : 6, {4, 6, 8, 10, 12});
    }
};

// GPU: blocks of output channels x pixels x 2 rows (`block`), one thread per output.
inline void gpu_conv2d(gen::Conv2DDef conv, Halide::Func output, GpuBlock block) {
    const gen::Dims d;
    Halide::Var yn("yn"), bo("bo"), bx("bx"), by("by"), to("to"), tx("tx"), ty("ty");
    output.fuse(d.y, d.n, yn).gpu_tile(d.o, d.x, yn, bo, bx, by, to, tx, ty, block.x, block.y, 2, kGuard);
    conv.acc.compute_at(output, to);  // no few-input-channel branch on GPUs (Conv2DArgs::few_channel_rows)
    specialize_common_activations(output, conv.activation);
}

// The CPU loop nest of a convolution's output: blocks of output channels x pixels (the
// accumulators computed and unrolled at the channel-block loop), bands of `band_rows` output
// rows in parallel. The channel blocks of a pixel block run innermost: they complete its output
// cache lines together (with the channel blocks outermost, each line was written once per block:
// seed model 1 at 1024x1024x3 on AVX2, two 16-channel blocks per 128-byte pixel, 15.7 -> 21.2 ms).
// Returns the band loop, where schedules stage the band's inputs. The block is the one that
// fits the output channels:
//   few input channels: the flat-row reduction (Conv2DDef::rows), 2 vectors of outputs;
//   dilated convolutions: the wide block, one branch (they read the input directly);
//   at most block.narrow_channels outputs: the narrow block, specialized for groups == 1 with
//     no activation or relu (e.g. 64 -> 32 layers), else one general branch;
//   otherwise the wide block, specialized for no activation and relu, each with groups == 1
//     (which turns the group index, a vector division per tap, into 0), and for groups == 1.
// Every branch holds a copy of the unrolled block in each of its loop tails, so branches are
// few: each costs compile time (tens of seconds of LLVM per CPU target for the whole set).
// Branches name their loops alike, so the accumulators are computed at `oo` of whichever runs.
// `few_dense_input`, where defined, is a condition under which the few-input-channel branch gets
// a copy of its own (the input's x stride is 3: its flat rows are a dense copy, see stage_rows).
inline Halide::Var conv_blocks(gen::Conv2DDef conv, Halide::Func output, const ConvBlock &block, int band_rows,
                               const Halide::Expr &few_dense_input = Halide::Expr()) {
    using namespace Halide;
    const gen::Dims d;
    Var oo("oo"), oi("oi"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), band("band");
    auto tile = [&](Stage s, int channels, int pixels) {
        s.split(d.o, oo, oi, channels, kGuard)
            .split(d.x, xo, xi, pixels, kGuard)
            .split(d.y, yo, yi, band_rows, kGuard)
            .reorder(oi, xi, oo, xo, yi, yo, d.n)
            .fuse(yo, d.n, band)
            .parallel(band)
            .vectorize(oi, block.vec, kGuard)
            .unroll(oi)  // the block's stores straight from the accumulator registers,
            .unroll(xi)  // not through a copy of them on the stack
            .partition(yi, Partition::Never);  // the band's last rows: a test per row, not a copy of the nest
    };
    // Specializations are tried in order: few input channels, dilated, narrow, the wide default.
    Stage few = output.specialize(conv.few_channels);
    tile(few, block.few_channels, block.few_pixels);
    std::vector<Stage> few_branches{few};
    if (few_dense_input.defined()) few_branches.insert(few_branches.begin(), few.specialize(few_dense_input));
    for (Stage branch : few_branches)
        for (Activation kind : {Activation::none, Activation::relu}) branch.specialize(conv.activation == int(kind));
    if (conv.dilated.defined()) tile(output.specialize(conv.dilated), block.channels, block.pixels);
    if (block.narrow_channels < block.channels) {
        // Written as (O - 1) / n == 0, not O <= n: from O <= n the simplifier would shrink the
        // accumulators' extent from the block's n to O, which cannot be unrolled.
        const Expr out_channels = output.output_buffer().dim(0).extent();
        Stage narrow = output.specialize((out_channels - 1) / block.narrow_channels == 0);
        tile(narrow, block.narrow_channels, block.narrow_pixels);
        for (Activation kind : {Activation::none, Activation::relu})
            narrow.specialize(conv.groups == 1 && conv.activation == int(kind));
    }
    tile(output, block.channels, block.pixels);
    specialize_common_activations(output, conv.activation, conv.groups == 1);
    output.specialize(conv.groups == 1);
    conv_register_block(conv.acc, {conv.taps.x, conv.taps.y, conv.taps.z}, output, oo, block.vec, block.channels,
                        std::max({block.pixels, block.narrow_pixels, block.few_pixels}), /*bound_storage=*/true);
    conv_register_block(conv.acc_rows, {conv.row_taps.x, conv.row_taps.y}, output, oo, block.vec, block.few_channels,
                        block.few_pixels, /*bound_storage=*/false);
    return band;
}

// CPU: the few-input-channel branch's flat rows and row weights, staged per band. The rows are
// specialized for C = 1 and 3, where k -> (k % C, k / C) is a multiply, not a division; where the
// x stride of what they read is also C (an RGB buffer under conv_blocks' `few_dense_input`, known
// there as a constant because that condition is tested outside the parallel loop), the copy
// folds back into a dense vector loop.
inline void stage_rows(gen::Conv2DDef conv, Halide::Func output, const Halide::Var &band, int vec) {
    using namespace Halide;
    const Var k = conv.rows.args()[0];
    conv.rows.compute_at(output, band).vectorize(k, vec, kGuard);
    for (int c : {1, 3}) conv.rows.specialize(conv.taps.x.extent() == c);  // C, the input channels
    const Var o = conv.row_weights.args()[0];
    conv.row_weights.compute_at(output, band).vectorize(o, vec, kGuard);
}

// `output`: the generator's output, defined as conv.output; `input_pixel_stride`: its input's x stride.
inline void schedule_conv2d(gen::Conv2DDef conv, Halide::Func output, const Halide::Expr &input_pixel_stride,
                            const Halide::Target &t, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        // CUDA: a warp spans 32 output channels. OpenCL: 16 channels x 8 pixels.
        return gpu_conv2d(conv, output, GpuBlocks{{32, 4}, {16, 8}}.pick(t, knobs));
    }
    const ConvBlock block(t, knobs);
    // A band of output rows per task: its zero-padded input rows are staged once for the band,
    // not once per output row (a 3x3 window staged every input row 3 times).
    const Var band = conv_blocks(conv, output, block, knobs.get("rows_per_task", 4, {1, 4, 8}), input_pixel_stride == 3);
    // Staged with vectors along the channels where there are enough of them.
    conv.padded.compute_at(output, band);
    conv.padded.specialize(conv.taps.x.extent() >= block.vec).vectorize(d.c, block.vec, kGuard);
    stage_rows(conv, output, band, block.vec);
}

}  // namespace hk::sched

// Schedule of conv2d (generators/conv2d.h).
//   CPU: direct convolution register-blocked over channel_vectors_per_tile vectors of output
//     channels x pixels_per_tile pixels (2 x 4 = 8 accumulators by default); per tap, one
//     weight vector per channel vector and one broadcast input per pixel. The zero-padded input
//     rows a row of outputs needs are staged once.
//   GPU: one thread per (output channel, pixel); consecutive threads take consecutive output
//     channels, so weight reads and output writes coalesce (HWIO and NHWC both keep channels
//     innermost).
#pragma once
#include "Halide.h"
#include "generators/conv2d.h"
#include "generators/dims.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

// CPU: the accumulators of a `channels` (output channels) x `pixels` block, computed at loop
// `at` of `out`: constant-size storage and unrolled, so they stay in registers over the taps.
inline void conv_register_block(gen::Conv2DDef conv, Halide::Func out, const Halide::Var &at, int vec,
                                int channels, int pixels) {
    const gen::Dims d;
    conv.acc.compute_at(out, at)
        .bound_storage(d.o, channels)
        .bound_storage(d.x, pixels)
        .vectorize(d.o, vec, kGuard)  // weights and bias end at O: never read past them
        .unroll(d.o)
        .unroll(d.x);
    conv.acc.update()
        .reorder(d.o, d.x, conv.taps.x, conv.taps.y, conv.taps.z)
        .vectorize(d.o, vec, kGuard)
        .unroll(d.o)
        .unroll(d.x);
}

// The CPU register block's shape (knobs channel_vectors_per_tile, pixels_per_tile).
struct ConvBlock {
    int vec, channels, pixels;
    ConvBlock(const Halide::Target &t, Knobs &knobs)
        : vec(t.natural_vector_size<float>()),
          channels(knobs.get("channel_vectors_per_tile", 2, {1, 2, 3}) * vec),
          pixels(knobs.get("pixels_per_tile", 4, {2, 4, 6})) {}
};

// GPU: blocks of output channels x pixels x 2 rows (`block`), one thread per output.
inline void gpu_conv2d(gen::Conv2DDef conv, Halide::Func output, GpuBlock block) {
    const gen::Dims d;
    Halide::Var yn("yn"), bo("bo"), bx("bx"), by("by"), to("to"), tx("tx"), ty("ty");
    output.fuse(d.y, d.n, yn).gpu_tile(d.o, d.x, yn, bo, bx, by, to, tx, ty, block.x, block.y, 2, kGuard);
    conv.acc.compute_at(output, to);
    specialize_common_activations(output, conv.activation);
}

// CPU: the common cases get code of their own. groups == 1 turns the group index (a vector
// division per tap) into 0. Dilated convolutions first, in a branch of their own that reads the
// input directly (never staging a dilated window, see Conv2DArgs::dilated_reads_input).
inline void specialize_conv2d(gen::Conv2DDef conv, Halide::Func output) {
    if (conv.dilated.defined()) output.specialize(conv.dilated);
    specialize_common_activations(output, conv.activation, conv.groups == 1);
    output.specialize(conv.groups == 1);
}

// `output`: the generator's output, defined as conv.output.
inline void schedule_conv2d(gen::Conv2DDef conv, Halide::Func output, const Halide::Target &t,
                            Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        // CUDA: a warp spans 32 output channels. OpenCL: 16 channels x 8 pixels.
        return gpu_conv2d(conv, output, GpuBlocks{{32, 4}, {16, 8}}.pick(t, knobs));
    }
    const ConvBlock block(t, knobs);
    Var oo("oo"), oi("oi"), xo("xo"), xi("xi"), yn("yn");
    output.split(d.o, oo, oi, block.channels, kGuard)
        .split(d.x, xo, xi, block.pixels, kGuard)
        .reorder(oi, xi, oo, xo, d.y, d.n)
        .fuse(d.y, d.n, yn)
        .parallel(yn)
        .vectorize(oi, block.vec, kGuard);
    conv.padded.compute_at(output, yn);
    conv_register_block(conv, output, oo, block.vec, block.channels, block.pixels);
    specialize_conv2d(conv, output);
}

}  // namespace hk::sched

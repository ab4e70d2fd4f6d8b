// Schedule of the fused Gabor -> conv2d model (generators/gabor_conv.cpp).
//   CPU: bands of rows_per_task output rows run in parallel. Each band stages its bordered
//     input, then fills the convolution's zero-padded input (the Gabor responses) tile by tile,
//     each tile's Gabor sums computed in registers (schedules/correlate.h's register tile), and
//     the convolution reads them from there (schedules/conv2d.h's register block). No
//     intermediate image ever exists.
//   GPU: each stage a kernel over its own tiles; the intermediates stay on the device inside
//     the one pipeline call.
#pragma once
#include "Halide.h"
#include "generators/conv2d.h"
#include "generators/correlate.h"
#include "generators/dims.h"
#include "schedules/border.h"
#include "schedules/common.h"
#include "schedules/conv2d.h"
#include "schedules/correlate.h"
#include "schedules/knobs.h"

namespace hk::sched {

// `output`: the generator's output, defined as conv.output over gabor.sum.
inline void schedule_gabor_conv(gen::Correlation gabor, gen::Conv2DDef conv, Halide::Func output,
                                const Halide::Expr &pixel_stride,
                                const Halide::Target &t, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    gabor.weights.compute_root();
    if (t.has_gpu_feature()) {
        const GpuBlock block = kPixelBlocks.pick(t, knobs);
        bordered_on_gpu(gabor.input, block);
        gpu_tile_pixels(gabor.sum.compute_root(), block);
        gpu_tile_stage(gabor.sum.update(), d.x, d.y, block);
        return gpu_conv2d(conv, output, block);
    }
    const ConvBlock block(t, knobs);
    const Var band = conv_blocks(conv, output, block, knobs.get("rows_per_task", 8, {4, 8, 16}));
    stage_bordered(gabor.input, output, band, block.vec, pixel_stride);
    // The convolution's zero-padded input, staged per band in whole Gabor tiles of 2 vectors x
    // 4 rows of one channel.
    const int tile_w = 2 * block.vec, tile_h = 4;
    Var pxo("pxo"), pyo("pyo"), pxi("pxi"), pyi("pyi");
    conv.padded.compute_at(output, band)
        .reorder_storage(d.x, d.c, d.y, d.n)
        .tile(d.x, d.y, pxo, pyo, pxi, pyi, tile_w, tile_h, TailStrategy::RoundUp)
        .reorder(pxi, pyi, pxo, d.c, pyo)
        .vectorize(pxi, block.vec);
    register_tile(gabor.sum, gabor.taps, d.c, conv.padded, pxo, block.vec, tile_w, tile_h);
    // The few-input-channel branch reads those tiles again as interleaved flat rows. For RGB the
    // copy is a transpose of three planes: rows k = 3 x + c, staged with c unrolled innermost so
    // each plane is read a vector of x at a time and Halide interleaves the three into dense
    // stores (else each row element was a gathered load: 8% of seed model 1 at 1024x1024x3).
    // The rows' range is aligned to whole pixels, so k % 3 and k / 3 fold to c and x.
    const Var k = conv.rows.args()[0];
    Var kx("kx"), kc("kc");
    conv.rows.compute_at(output, band).align_bounds(k, 3);
    conv.rows.specialize(conv.taps.x.extent() == 3)
        .split(k, kx, kc, 3, TailStrategy::RoundUp)
        .reorder(kc, kx)
        .unroll(kc)
        .vectorize(kx, block.vec, kGuard);
    conv.rows.vectorize(k, block.vec, kGuard).specialize(conv.taps.x.extent() == 1);
    const Var o = conv.row_weights.args()[0];
    conv.row_weights.compute_at(output, band).vectorize(o, block.vec, kGuard);
}

}  // namespace hk::sched

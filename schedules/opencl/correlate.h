// 2D correlation (Gabor, filter2d), OpenCL. Each work-item computes 8 outputs along x (one
// float8) on `tile_rows` rows (default 4), so the taps loop is register-blocked vector code on CPU OpenCL drivers (PoCL). The bordered
// input is materialized once, so the taps loop carries no border selects.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::opencl {

inline void correlate(CorrelateFuncs f, const Halide::Target &, const Knobs &k) {
    using namespace Halide;
    constexpr int kVec = 8;
    Var xo("xo"), xv("xv"), yn("yn"), bx("bx"), by("by"), tx("tx"), ty("ty");
    gpu::tile_pixels(f.bounded.compute_root(), f.x, f.y, f.n, gpu::Tile{64, 4});
    // Each work-item: a block of 8 (x, one float8) by `rows` rows of one channel, accumulators in
    // registers; the channel loop sits outside the work-item grid (one launch per channel).
    const int rows = Knobs::pick(k.tile_rows, 4);
    const gpu::Tile block = gpu::Tile{16, 4}.tuned(k);
    Var yi("yi");
    f.output.specialize(f.out_width >= kVec && f.out_height >= rows)
        .split(f.x, xo, xv, kVec, TailStrategy::ShiftInwards)
        .split(f.y, yn, yi, rows, TailStrategy::ShiftInwards)
        .reorder(xv, yi, xo, yn, f.c, f.n)
        .gpu_tile(xo, yn, bx, by, tx, ty, block.x, block.y, kGuard)
        .vectorize(xv)
        .unroll(yi);
    // Narrow or short images: one pixel per work-item.
    f.output.split(f.x, xo, xv, 1)
        .split(f.y, yn, yi, 1)
        .reorder(xv, yi, xo, yn, f.c, f.n)
        .gpu_tile(xo, yn, bx, by, tx, ty, block.x, block.y, kGuard);
    f.conv.compute_at(f.output, tx)
        .bound_storage(f.c, 1)
        .vectorize(f.x, kVec, TailStrategy::RoundUp)
        .unroll(f.y);
    f.conv.update()
        .reorder(f.x, f.y, f.taps.x, f.taps.y, f.taps.z, f.c)
        .vectorize(f.x, kVec, TailStrategy::RoundUp)
        .unroll(f.y);
    if (f.activation.defined()) specialize_common_activations(f.output, f.activation);
}

}  // namespace hk::sched::opencl

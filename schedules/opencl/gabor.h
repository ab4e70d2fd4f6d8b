// Gabor, OpenCL. Each work-item computes a run of 8 outputs along x as one float8, so the
// taps loop is vector code on CPU OpenCL drivers (PoCL) and coalesced on GPUs. The bordered
// input is materialized once, so the taps loop carries no border selects.
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::opencl {

inline void gabor(GaborFuncs f, const Halide::Target &) {
    using namespace Halide;
    constexpr int kVec = 8;
    Var xo("xo"), xv("xv"), yn("yn"), bx("bx"), by("by"), tx("tx"), ty("ty");
    f.weights.compute_root();
    gpu::tile_pixels(f.bounded.compute_root(), f.x, f.y, f.n, gpu::Tile{64, 4});
    f.output.fuse(f.y, f.n, yn);
    // Vector stores need whole runs of 8: shift the last run inwards (images >= 8 wide);
    // narrower images take one pixel per work-item.
    f.output.specialize(f.out_width >= kVec)
        .split(f.x, xo, xv, kVec, TailStrategy::ShiftInwards)
        .reorder(xv, f.c, xo, yn)
        .gpu_tile(xo, yn, bx, by, tx, ty, 8, 8, kGuard)
        .vectorize(xv);
    f.output.split(f.x, xo, xv, 1).reorder(xv, f.c, xo, yn).gpu_tile(xo, yn, bx, by, tx, ty, 8, 8, kGuard);
    f.conv.compute_at(f.output, tx)
        .reorder_storage(f.x, f.c, f.y, f.n)
        .vectorize(f.x, kVec, TailStrategy::RoundUp);
    f.conv.update()
        .reorder(f.x, f.taps.x, f.taps.y, f.c)
        .vectorize(f.x, kVec, TailStrategy::RoundUp);
}

}  // namespace hk::sched::opencl

// Fused seed models, GPU (CUDA and OpenCL; each picks the tile shape): each stage a kernel over
// its own tiles; the intermediates stay on the device inside the one pipeline call.
#pragma once
#include "schedules/gpu/box_filter.h"
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

inline void gabor_conv(GaborConvFuncs f, Tile tile) {
    using namespace Halide;
    Var c("c"), yn("yn"), bo("bo"), bx("bx"), by("by"), to("to"), tx("tx"), ty("ty");
    tile_pixels(f.bounded.compute_root(), f.x, f.y, f.n, tile);
    tile_pixels(f.gabor.compute_root(), f.x, f.y, f.n, tile);
    tile_stage(f.gabor.update(), f.x, f.y, tile);
    f.output.fuse(f.y, f.n, yn).gpu_tile(f.o, f.x, yn, bo, bx, by, to, tx, ty, tile.x, tile.y, 2, kGuard);
    f.conv.compute_at(f.output, to);
    specialize_common_activations(f.output, f.activation);
}

inline void box_pool(BoxPoolFuncs f, Tile tile) {
    box_stages_root(f.stages(), tile);
    Halide::Var thread_x = tile_pixels(f.output, f.x, f.y, f.n, tile);
    f.acc.compute_at(f.output, thread_x);
    f.output.specialize(f.direct_rows);  // each branch computes one horizontal pass
}

}  // namespace hk::sched::gpu

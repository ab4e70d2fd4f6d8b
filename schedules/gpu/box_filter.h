// Box filter, GPU (CUDA and OpenCL; each picks the tile shape): each pass's running sums run
// serially inside one thread per strip (horizontal: per strip and row; vertical: per strip and
// column).
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

inline void box_filter(BoxFuncs f, Tile tile) {
    f.row_sum.compute_root();
    // Strips are disjoint ranges of x, so threads over strips never write the same column.
    tile_stage(f.row_sum.update(0).allow_race_conditions(), f.strips_x, f.y, tile);
    tile_stage(f.row_sum.update(1)
                   .allow_race_conditions()
                   .reorder(f.step_x.x, f.c, f.step_x.y, f.y, f.n),
               f.step_x.y, f.y, tile);
    f.col_run.compute_root();
    tile_stage(f.col_run.update(0), f.x, f.ys, tile);
    tile_stage(f.col_run.update(1).reorder(f.step_y, f.c, f.x, f.ys, f.n), f.x, f.ys, tile);
    tile_pixels(f.output, f.x, f.y, f.n, tile);
}

}  // namespace hk::sched::gpu

// Box filter, GPU (CUDA and OpenCL; each picks the tile shape): each pass's running sums run
// serially inside one thread per strip (horizontal: per strip and row; vertical: per strip and
// column).
#pragma once
#include "schedules/gpu_common.h"

namespace hk::sched::gpu {

// The box's running-sum stages as kernels of their own, one thread per strip.
inline void box_stages_root(BoxStages s, Tile tile) {
    s.row_sum.compute_root();
    // Strips are disjoint ranges of x, so threads over strips never write the same column.
    tile_stage(s.row_sum.update(0).allow_race_conditions(), s.strips_x, s.y, tile);
    tile_stage(s.row_sum.update(1).allow_race_conditions().reorder(s.step_x.x, s.c, s.step_x.y, s.y, s.n),
               s.step_x.y, s.y, tile);
    tile_pixels(s.row_direct.compute_root(), s.x, s.y, s.n, tile);
    s.col_run.compute_root();
    tile_stage(s.col_run.update(0), s.x, s.ys, tile);
    tile_stage(s.col_run.update(1).reorder(s.step_y, s.c, s.x, s.ys, s.n), s.x, s.ys, tile);
}

inline void box_filter(BoxFuncs f, Tile tile) {
    box_stages_root(f.stages(), tile);
    tile_pixels(f.output, f.x, f.y, f.n, tile);
    f.output.specialize(f.direct_rows);  // each branch computes one horizontal pass
}

}  // namespace hk::sched::gpu

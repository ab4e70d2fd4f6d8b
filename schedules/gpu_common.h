// Building blocks shared by the CUDA and OpenCL schedules. Each target class picks its own
// tile shapes in schedules/cuda and schedules/opencl; the loop structure is the same.
#pragma once
#include "schedules/common.h"

namespace hk::sched::gpu {

struct Tile {
    int x, y;  // threads (work-items) per block (work-group) along x and y

    // The class's default tile, or the tuned one (Knobs::gpu_x, gpu_y).
    Tile tuned(const Knobs &k) const { return {Knobs::pick(k.gpu_x, x), Knobs::pick(k.gpu_y, y)}; }
};

// One thread per output pixel over (x, y); batch folded into y so one launch covers N.
// Returns the innermost thread variable, for compute_at of per-thread intermediates.
inline Halide::Var tile_pixels(Halide::Func f, Halide::Var x, Halide::Var y, Halide::Var n,
                               Tile tile) {
    Halide::Var xo("gxo"), yo("gyo"), xi("gxi"), yi("gyi"), yn("gyn");
    f.fuse(y, n, yn).gpu_tile(x, yn, xo, yo, xi, yi, tile.x, tile.y, kGuard);
    return xi;
}

// Same for one stage of a Func (update definitions of running sums).
// Split results of an RVar must be RVars, of a Var Vars.
inline Halide::VarOrRVar like(const Halide::VarOrRVar &v, const std::string &name) {
    return v.is_rvar ? Halide::VarOrRVar(Halide::RVar(name)) : Halide::VarOrRVar(Halide::Var(name));
}

inline void tile_stage(Halide::Stage s, Halide::VarOrRVar a, Halide::VarOrRVar b, Tile tile) {
    s.gpu_tile(a, b, like(a, "sao"), like(b, "sbo"), like(a, "sai"), like(b, "sbi"), tile.x,
               tile.y, kGuard);
}

}  // namespace hk::sched::gpu

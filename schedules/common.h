// What the schedules share: the target classes, guarded tails, activation specializations and
// the GPU loop building blocks (CUDA and OpenCL share loop structures; each class picks its
// block shape from the kernel's table).
#pragma once
#include <algorithm>
#include <string>

#include "Halide.h"
#include "hk/enums.h"
#include "schedules/knobs.h"

namespace hk::sched {

// Outputs can be any size, including smaller than a tile: guard tails rather than shift them.
constexpr Halide::TailStrategy kGuard = Halide::TailStrategy::GuardWithIf;

inline bool is_cuda(const Halide::Target &t) { return t.has_feature(Halide::Target::CUDA); }

// Vector registers a CPU register tile can use: 32 (zmm0-31) with AVX-512 and on 64-bit ARM,
// 16 (ymm or xmm) on AVX2 and SSE4.1. Register tiles are sized from this, not measured on
// another ISA.
inline int vector_registers(const Halide::Target &t) {
    const bool many = t.has_feature(Halide::Target::AVX512_Skylake) ||
                      (t.arch == Halide::Target::ARM && t.bits == 64);
    return many ? 32 : 16;
}

// An output of one channel stored densely (x stride 1): vector stores along x are contiguous;
// otherwise the stride is a run-time value and each lane is stored on its own.
inline Halide::Expr one_dense_channel(const Halide::OutputImageParam &out) {
    return out.dim(0).extent() == 1 && out.dim(1).stride() == 1;
}

// An output of three channels packed per pixel (RGB): a vector of pixels' three channels,
// computed together, is stored as dense interleaved vectors (Halide's store interleaving).
inline Halide::Expr packed_rgb(const Halide::OutputImageParam &out) {
    return out.dim(0).extent() == 3 && out.dim(1).stride() == 3;
}

// Ops with a fused activation pick it at run time; a plain select over all kinds would evaluate
// every kind (exp, tanh, erf) for every output. Specializing on the common kinds gives them
// straight-line code; the rest share the general case. Call after the op's own schedule (a
// specialization copies the schedule made so far).
inline void specialize_common_activations(Halide::Stage f, const Halide::Expr &activation,
                                          const Halide::Expr &also = Halide::Expr()) {
    for (Activation kind : {Activation::none, Activation::relu}) {
        if (also.defined()) f.specialize(also && activation == int(kind));
        f.specialize(activation == int(kind));
    }
}

// ---- GPU ------------------------------------------------------------------------------------

// Threads (work-items) per block (work-group) along the block's two dimensions.
struct GpuBlock {
    int x, y;
};

// The block shape of a kernel on this target: its CUDA or OpenCL default from the kernel's
// table, or the tuned knobs block_x / block_y.
struct GpuBlocks {
    GpuBlock cuda, opencl;
    GpuBlock pick(const Halide::Target &t, Knobs &knobs) const {
        const GpuBlock d = is_cuda(t) ? cuda : opencl;
        return {knobs.get("block_x", d.x, {d.x / 2, d.x, 2 * d.x}),
                knobs.get("block_y", d.y, {std::max(1, d.y / 2), d.y, 2 * d.y})};
    }
};
// Pixel-parallel kernels: 32 x 8 on CUDA (one warp per row of a block); 64 x 4 on OpenCL (long
// rows suit CPU drivers such as PoCL, which vectorize across work-items along x).
constexpr GpuBlocks kPixelBlocks{{32, 8}, {64, 4}};

// One thread per output pixel over (x, y); batch folded into y so one launch covers N.
// Returns the innermost thread variable, for compute_at of per-thread intermediates.
inline Halide::Var gpu_tile_pixels(Halide::Func f, GpuBlock block) {
    Halide::Var x("x"), y("y"), n("n"), xo("gxo"), yo("gyo"), xi("gxi"), yi("gyi"), yn("gyn");
    f.fuse(y, n, yn).gpu_tile(x, yn, xo, yo, xi, yi, block.x, block.y, kGuard);
    return xi;
}

// Split results of an RVar must be RVars, of a Var Vars.
inline Halide::VarOrRVar like(const Halide::VarOrRVar &v, const std::string &name) {
    return v.is_rvar ? Halide::VarOrRVar(Halide::RVar(name)) : Halide::VarOrRVar(Halide::Var(name));
}

// One stage of a Func (e.g. an update of running sums) as a kernel over (a, b).
inline void gpu_tile_stage(Halide::Stage s, Halide::VarOrRVar a, Halide::VarOrRVar b, GpuBlock block) {
    s.gpu_tile(a, b, like(a, "sao"), like(b, "sbo"), like(a, "sai"), like(b, "sbi"), block.x, block.y, kGuard);
}

}  // namespace hk::sched

// Schedule dispatch for the box-filter generator.
#pragma once
#include "schedules/common.h"

namespace hk::sched {

// The running-sum stages of generators/box_filter.h, shared by the box filter and the fused
// box -> pooling model.
struct BoxStages {
    Halide::Func bounded, row_sum, col_run;
    Halide::RDom strips_x, step_x, step_y;
    Halide::Var c, x, y, n, yi, ys;
    Halide::Func row_direct;    // horizontal pass as direct sums (used when direct_rows)
    Halide::Expr direct_rows;   // which horizontal pass the vertical one reads: specialize on it
};

struct BoxFuncs {
    Halide::Func output, bounded, row_sum, col_run;
    Halide::RDom strips_x;        // horizontal strips (their first column is a direct k-sum)
    Halide::RDom step_x;          // horizontal running-sum steps: (step in strip, strip)
    Halide::RDom step_y;          // vertical running-sum steps
    Halide::Expr out_x_stride;    // == 1 when channels == 1 and pixels are dense
    Halide::Expr out_channels;
    Halide::Var c, x, y, n, yi, ys;
    Halide::Expr strip_y;         // vertical running-sum restart period (run time)
    Halide::Func row_direct;
    Halide::Expr direct_rows;
    BoxStages stages() const {
        return {bounded, row_sum, col_run, strips_x, step_x, step_y, c, x, y, n, yi, ys, row_direct, direct_rows};
    }
};

}  // namespace hk::sched

#include "schedules/cpu/box_filter.h"
#include "schedules/cuda/box_filter.h"
#include "schedules/opencl/box_filter.h"

namespace hk::sched {

inline void schedule_box_filter(BoxFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::box_filter(f, t, k);
    case TargetClass::opencl: return opencl::box_filter(f, t, k);
    case TargetClass::cpu: return cpu::box_filter(f, t, k);
    }
}

}  // namespace hk::sched

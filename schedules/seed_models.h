// Schedule dispatch for the fused seed models (generators/seed_models.cpp).
#pragma once
#include "schedules/box_filter.h"  // BoxStages and the box schedules
#include "schedules/common.h"
#include "schedules/conv2d.h"      // the conv2d register block

namespace hk::sched {

struct GaborConvFuncs {
    Halide::Func output, bounded, gabor;  // gabor: the per-channel Gabor responses (a reduction)
    Halide::RDom gabor_taps;
    Halide::Func conv, padded;            // the convolution's accumulator and zero-padded input
    Halide::RDom conv_taps;
    Halide::Expr activation;  // fused after the convolution
    Halide::Expr groups;      // the convolution's groups
    Halide::Var o, x, y, n;
};

struct BoxPoolFuncs {
    Halide::Func output, bounded, row_sum, col_run, box;
    Halide::RDom strips_x, step_x, step_y;
    Halide::Expr strip_y;   // vertical running-sum period of the box
    Halide::Func acc;       // pooling accumulator
    Halide::Expr stride_y;  // pooling stride
    Halide::Var c, x, y, n, yi, ys;
    Halide::Func row_direct;
    Halide::Expr direct_rows;
    BoxStages stages() const {
        return {bounded, row_sum, col_run, strips_x, step_x, step_y, c, x, y, n, yi, ys, row_direct, direct_rows};
    }
};

}  // namespace hk::sched

#include "schedules/cpu/seed_models.h"
#include "schedules/cuda/seed_models.h"
#include "schedules/opencl/seed_models.h"

namespace hk::sched {

inline void schedule_gabor_conv(GaborConvFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::gabor_conv(f, t, k);
    case TargetClass::opencl: return opencl::gabor_conv(f, t, k);
    case TargetClass::cpu: return cpu::gabor_conv(f, t, k);
    }
}

inline void schedule_box_pool(BoxPoolFuncs f, const Halide::Target &t, const Knobs &k) {
    switch (target_class(t)) {
    case TargetClass::cuda: return cuda::box_pool(f, t, k);
    case TargetClass::opencl: return opencl::box_pool(f, t, k);
    case TargetClass::cpu: return cpu::box_pool(f, t, k);
    }
}

}  // namespace hk::sched

// 2D correlation with a weight Func (algorithm), shared by the filters that apply a kernel:
// Gabor (weights computed in the pipeline), filter2d (weights given by the caller).
//   per channel:   out(c, x, y, n) = sum_ij w(i, j) src(c, x + i - ax, y + j - ay, n)
//   sum_channels:  out(0, x, y, n) = sum_c sum_ij w(i, j) src(c, ...)   (tf.nn.conv2d with a
//                  [kh, kw, C, 1] kernel that is the same for every channel)
#pragma once
#include "Halide.h"

namespace hk::gen {

struct Correlation {
    Halide::Func conv;
    Halide::RDom taps;  // (i, j, input channel when summing)
};

inline Correlation correlate(Halide::Func src, Halide::Func w, Halide::Expr kw, Halide::Expr kh,
                             Halide::Expr ax, Halide::Expr ay, Halide::Expr sum_channels,
                             Halide::Expr channels) {
    Halide::Var c("c"), x("x"), y("y"), n("n");
    Halide::RDom taps(0, kw, 0, kh, 0, Halide::select(sum_channels, channels, 1), "taps");
    Halide::Expr ch = Halide::select(sum_channels, taps.z, c);
    Halide::Func conv("conv");
    conv(c, x, y, n) = 0.0f;
    conv(c, x, y, n) += w(taps.x, taps.y) * src(ch, x + taps.x - ax, y + taps.y - ay, n);
    return {conv, taps};
}

}  // namespace hk::gen

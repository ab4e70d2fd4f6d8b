// 2D correlation with a weight Func (algorithm), shared by the filters that apply a kernel:
// Gabor (weights computed in the pipeline), filter2d (weights given by the caller), and the
// fused Gabor -> conv2d model.
//   per channel:   sum(c, x, y, n) = sum_ij w(i, j) input(c, x + i - ax, y + j - ay, n)
//   sum_channels:  sum(0, x, y, n) = sum_c sum_ij w(i, j) input(c, ...)   (tf.nn.conv2d with a
//                  [kh, kw, C, 1] kernel that is the same for every channel)
#pragma once
#include "Halide.h"
#include "dims.h"

namespace hk::gen {

struct Correlation {
    Halide::Func input;    // (c, x, y, n), defined everywhere (the border applied)
    Halide::Func weights;  // (i, j), as given
    Halide::Func sum;    // the accumulator: zero, then one update over the taps
    Halide::RDom taps;   // (i, j, input channel when summing)
};

inline Correlation correlate(Halide::Func input, Halide::Func w, Halide::Expr kw, Halide::Expr kh,
                             Halide::Expr ax, Halide::Expr ay, Halide::Expr sum_channels,
                             Halide::Expr channels) {
    Dims d;
    Halide::RDom taps(0, kw, 0, kh, 0, Halide::select(sum_channels, channels, 1), "taps");
    Halide::Expr ch = Halide::select(sum_channels, taps.z, d.c);
    Halide::Func sum("correlation");
    sum(d.c, d.x, d.y, d.n) = 0.0f;
    sum(d.c, d.x, d.y, d.n) += w(taps.x, taps.y) * input(ch, d.x + taps.x - ax, d.y + taps.y - ay, d.n);
    return {input, w, sum, taps};
}

}  // namespace hk::gen

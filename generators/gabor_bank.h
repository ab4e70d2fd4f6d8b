// Gabor filter bank (algorithm): F filters (orientations x scales x phases) on every channel;
// output channel o = c * F + f. Each filter's getGaborKernel constants are a row of a (6, F)
// table: cos theta, sin theta, ex, ey, cscale, psi.
//   magnitude = false: the real response (the runtime shifts psi by -pi/2 for imaginary)
//   magnitude = true:  sqrt(real^2 + imaginary^2), both sums in one pass (a Tuple)
#pragma once
#include "Halide.h"
#include "dims.h"
#include "gabor.h"

namespace hk::gen {

struct GaborBankDef {
    Halide::Func input;    // (c, x, y, n), defined everywhere (the border applied)
    Halide::Func weights;  // (i, j, f): the filters' taps (a Tuple of real and imaginary parts
                           // for magnitudes)
    Halide::Func sum;      // (o, x, y, n): the accumulator of filter o % F on channel o / F
    Halide::Func output;
    Halide::RDom taps;
    // One input channel (a grey image) with real responses: output channel o is filter o, so
    // the filters can be the vector dimension (each pixel's input broadcast, the taps of a
    // vector of filters one dense load): sum_by_filter(o, x, y, n), which the output reads where
    // one_channel holds (schedules specialize on it). Undefined for magnitudes and GPU targets.
    Halide::Func sum_by_filter;
    Halide::Func weights_by_filter;  // (i, j, o): the taps of filter o, for sum_by_filter
    Halide::Expr one_channel;
};

// `channels`: the input's; `by_filter`: define sum_by_filter (CPU targets).
inline GaborBankDef gabor_bank(Halide::Func input, Halide::Func table, Halide::Expr filter_count,
                               Halide::Expr ksize_w, Halide::Expr ksize_h, bool magnitude, Halide::Expr channels,
                               bool by_filter) {
    using namespace Halide;
    const Dims d;
    const Var o = d.o, x = d.x, y = d.y, n = d.n;
    Var i("i"), j("j"), f("f");
    GaborBankDef b{input, Func("weights"), Func("conv"), Func("bank")};
    Expr half_w = ksize_w / 2, half_h = ksize_h / 2;
    const GaborTap tap = gabor_tap(i, j, half_w, half_h,
                                   {table(0, f), table(1, f), table(2, f), table(3, f), table(4, f), table(5, f)});
    if (magnitude) b.weights(i, j, f) = {tap.real(), tap.imaginary()};
    else b.weights(i, j, f) = tap.real();

    // Indexed by output channel o = c * F + f, so a schedule computing one o at a time
    // allocates one channel (bounds of o % F with a run-time F would span every filter).
    Expr fo = o % filter_count, co = o / filter_count;
    b.taps = RDom(0, 2 * half_w + 1, 0, 2 * half_h + 1, "taps");
    Expr v = input(co, x + b.taps.x - half_w, y + b.taps.y - half_h, n);
    if (magnitude) {
        b.sum(o, x, y, n) = {0.0f, 0.0f};
        b.sum(o, x, y, n) = {b.sum(o, x, y, n)[0] + b.weights(b.taps.x, b.taps.y, fo)[0] * v,
                             b.sum(o, x, y, n)[1] + b.weights(b.taps.x, b.taps.y, fo)[1] * v};
        b.output(o, x, y, n) = sqrt(b.sum(o, x, y, n)[0] * b.sum(o, x, y, n)[0] +
                                    b.sum(o, x, y, n)[1] * b.sum(o, x, y, n)[1]);
    } else {
        b.sum(o, x, y, n) = 0.0f;
        b.sum(o, x, y, n) += b.weights(b.taps.x, b.taps.y, fo) * v;
        Expr response = b.sum(o, x, y, n);
        if (by_filter) {
            // A copy of the taps that schedules can store with the filters innermost. Clamped:
            // Halide bounds it over every output channel (C F) also in the branches that do not
            // read it, and the filters' table ends at F.
            b.weights_by_filter = Func("weights_by_filter");
            b.weights_by_filter(i, j, f) = b.weights(i, j, min(f, filter_count - 1));
            b.sum_by_filter = Func("conv_by_filter");
            b.sum_by_filter(o, x, y, n) = 0.0f;
            b.sum_by_filter(o, x, y, n) += b.weights_by_filter(b.taps.x, b.taps.y, o) *
                                           input(0, x + b.taps.x - half_w, y + b.taps.y - half_h, n);
            // Simplified as Halide simplifies a specialization's condition, so the branches fold the
            // select below (as Conv2DDef::few_channels).
            b.one_channel = Halide::Internal::simplify(channels == 1);
            response = select(b.one_channel, b.sum_by_filter(o, x, y, n), response);
        }
        b.output(o, x, y, n) = response;
    }
    return b;
}

}  // namespace hk::gen

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
};

inline GaborBankDef gabor_bank(Halide::Func input, Halide::Func table, Halide::Expr filter_count,
                               Halide::Expr ksize_w, Halide::Expr ksize_h, bool magnitude) {
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
        b.output(o, x, y, n) = b.sum(o, x, y, n);
    }
    return b;
}

}  // namespace hk::gen

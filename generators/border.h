// Border handling shared by the filter generators (algorithm only, no schedule).
#pragma once
#include "Halide.h"

namespace hk::gen {

// Must match hk::Border in runtime/include/hk/types.h.
enum BorderMode : int { kBorderConstantZero = 0, kBorderReplicate = 1, kBorderReflect101 = 2 };

// OpenCV's BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba), periodic with period 2*(n-1) so it
// stays in range however far outside the image we read (kernels larger than the image).
inline Halide::Expr reflect101(Halide::Expr i, Halide::Expr n) {
    Halide::Expr last = n - 1;
    Halide::Expr period = Halide::max(2 * last, 1);
    Halide::Expr t = i % period;  // Halide's % is Euclidean: t >= 0
    return Halide::clamp(last - Halide::abs(t - last), 0, last);
}

// Reads in(c, x, y, n) for any (x, y), with the border selected at run time by `mode`.
// The schedule specializes on `mode`, so inside each specialization the selects fold away.
inline Halide::Func with_border(Halide::Func in, Halide::Expr width, Halide::Expr height,
                                Halide::Expr mode, const std::string &name) {
    Halide::Var c("c"), x("x"), y("y"), n("n");
    Halide::Expr xc = Halide::select(mode == kBorderReflect101, reflect101(x, width),
                                     Halide::clamp(x, 0, width - 1));
    Halide::Expr yc = Halide::select(mode == kBorderReflect101, reflect101(y, height),
                                     Halide::clamp(y, 0, height - 1));
    Halide::Expr inside = x >= 0 && x < width && y >= 0 && y < height;
    Halide::Func out(name);
    out(c, x, y, n) = Halide::select(mode == kBorderConstantZero && !inside, 0.0f,
                                     in(c, xc, yc, n));
    return out;
}

}  // namespace hk::gen

// Border handling shared by the filter generators (algorithm only, no schedule).
#pragma once
#include "Halide.h"
#include "hk/enums.h"

namespace hk::gen {

// OpenCV's BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba), periodic with period 2*(n-1) so it
// stays in range however far outside the image we read (kernels larger than the image).
inline Halide::Expr reflect101(Halide::Expr i, Halide::Expr n) {
    Halide::Expr last = n - 1;
    Halide::Expr period = Halide::max(2 * last, 1);
    // i mod period (>= 0). Not Halide's %: with a run-time divisor that is a scalar division
    // per vector lane, and the staging loop evaluates this for every pixel, inside the image too
    // (its likely() does not split the loop: measured, the 3x3 filter on 1080p spends 1 ms of
    // 3.4 ms here). A float quotient is exact: |i| and period are far below 2^22, so
    // floor(i / period) is never off by one.
    Halide::Expr q = Halide::cast<int>(Halide::floor(Halide::cast<float>(i) / Halide::cast<float>(period)));
    Halide::Expr t = Halide::clamp(i - q * period, 0, period - 1);
    return Halide::clamp(last - Halide::abs(t - last), 0, last);
}

// Reads in(c, x, y, n) for any (x, y), with the border (an hk::Border) selected at run time by
// `mode`.
// The interior test is marked likely(), meant to let Halide split each loop into border
// prologue and epilogue and a border-free steady state; in the staged loops of the CPU
// schedules it does not (the profiler shows the border arithmetic on every pixel), so that
// arithmetic is kept cheap (reflect101).
inline Halide::Func with_border(Halide::Func in, Halide::Expr width, Halide::Expr height,
                                Halide::Expr mode, const std::string &name) {
    using Halide::select;
    Halide::Var c("c"), x("x"), y("y"), n("n");
    auto outside_coord = [&](Halide::Expr i, Halide::Expr len) {
        return select(mode == int(Border::reflect101), reflect101(i, len), Halide::clamp(i, 0, len - 1));
    };
    Halide::Expr in_x = x >= 0 && x < width, in_y = y >= 0 && y < height;
    // The outer clamp only tells bounds inference the reads stay inside the image.
    Halide::Expr xc = Halide::clamp(select(Halide::likely(in_x), x, outside_coord(x, width)), 0, width - 1);
    Halide::Expr yc = Halide::clamp(select(Halide::likely(in_y), y, outside_coord(y, height)), 0, height - 1);
    Halide::Func out(name);
    out(c, x, y, n) = select(Halide::likely(in_x && in_y), in(c, xc, yc, n),
                             select(mode == int(Border::zero), 0.0f, in(c, xc, yc, n)));
    return out;
}

// The input as float, whatever its element type (the filters take uint8 or float32 images,
// chosen per library with the generator parameter input.type).
inline Halide::Func as_float(const Halide::Func &in, const std::string &name = "input_f32") {
    Halide::Var c("c"), x("x"), y("y"), n("n");
    Halide::Func f(name);
    f(c, x, y, n) = Halide::cast<float>(in(c, x, y, n));
    return f;
}

}  // namespace hk::gen

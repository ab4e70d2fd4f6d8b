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
    // per vector lane where GPU schedules evaluate this for every pixel. A float quotient is
    // exact: |i| and period are far below 2^22, so floor(i / period) is never off by one.
    Halide::Expr q = Halide::cast<int>(Halide::floor(Halide::cast<float>(i) / Halide::cast<float>(period)));
    Halide::Expr t = Halide::clamp(i - q * period, 0, period - 1);
    return Halide::clamp(last - Halide::abs(t - last), 0, last);
}

// The columns a consumer reads, [first, last]: an output's columns [out_first, out_first +
// out_extent) widened by how far its kernel reaches left and right of each output column.
struct ColumnsRead {
    Halide::Expr first, last;
    static ColumnsRead of(Halide::Expr out_first, Halide::Expr out_extent, Halide::Expr reach_left,
                          Halide::Expr reach_right) {
        return {out_first - reach_left, out_first + out_extent - 1 + reach_right};
    }
};

// Reads in(c, x, y, n) for any y and for the columns `cols` (or a superset: those are the ones
// whose border is right), with the border (an hk::Border) selected at run time by `mode`.
// Built so that a schedule staging it reads the image's interior with no border arithmetic:
//   rows:    the border formula is a scalar per row, invariant along the vectorized x loop;
//   columns: the pure definition reads column clamp(likely(x), 0, width - 1), which Halide's
//            loop partitioning splits into a prologue, a steady state of dense vector loads and
//            an epilogue; two updates then rewrite the margin columns (only those outside the
//            image: at most the kernel's reach on each side) with the border's value.
// A select on the column does not do this: even marked likely() it is not partitioned in a
// vectorized loop, and every staged pixel ran the reflect formula and a gather (measured on a
// 3x3 filter at 1080p, AVX-512: staging 1.9 ms of a 2.4 ms call; 0.8 ms for the whole call
// with this split, all three borders).
// Schedules stage it with schedules/border.h, which also places the two margin updates.
inline Halide::Func with_border(Halide::Func in, Halide::Expr width, Halide::Expr height, Halide::Expr mode,
                                const ColumnsRead &cols, const std::string &name) {
    using Halide::select;
    Halide::Var c("c"), x("x"), y("y"), n("n");
    auto coordinate = [&](Halide::Expr i, Halide::Expr len) {  // any i, into [0, len)
        Halide::Expr outside = select(mode == int(Border::reflect101), reflect101(i, len), Halide::clamp(i, 0, len - 1));
        return Halide::clamp(select(i >= 0 && i < len, i, outside), 0, len - 1);
    };
    const Halide::Expr row = coordinate(y, height);
    const Halide::Expr zero_row = mode == int(Border::zero) && !(y >= 0 && y < height);
    Halide::Func out(name);
    out(c, x, y, n) = select(zero_row, 0.0f, in(c, Halide::clamp(Halide::likely(x), 0, width - 1), row, n));
    // The margins: [first, min(last, -1)] and [max(width, first), last], empty when not read.
    Halide::RDom left(cols.first, Halide::max(0, Halide::min(cols.last, -1) - cols.first + 1), name + "_left");
    const Halide::Expr right_first = Halide::max(width, cols.first);
    Halide::RDom right(right_first, Halide::max(0, cols.last - right_first + 1), name + "_right");
    for (const Halide::RDom &margin : {left, right})
        out(c, margin.x, y, n) = select(mode == int(Border::zero), 0.0f, in(c, coordinate(margin.x, width), row, n));
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

// Sum of separable passes (algorithm): out = sum_r col_r * (row_r * in), i.e. a 2D kernel
// K(j, i) = sum_r col(j, r) row(i, r). One term is OpenCV's sepFilter2D; the runtime uses more
// terms for low-rank 2D kernels (Gabor at gamma = 1 is rank 2 at any angle).
#pragma once
#include "Halide.h"
#include "dims.h"

namespace hk::gen {

struct SeparablePasses {
    Halide::Func input;  // (c, x, y, n), defined everywhere (the border applied)
    Halide::Func rows;   // (c, x, y, n, r): term r's horizontal pass (channels summed when asked)
    Halide::Func cols;   // (c, x, y, n): the vertical passes, summed over the terms
    Halide::RDom row_taps, col_taps;  // (i, summed channel), (j, term)
    Halide::Var r{"r"};
};

// row_kernels (i, r) along x, col_kernels (j, r) along y; anchors as filter2D's.
inline SeparablePasses separable_passes(Halide::Func input, Halide::Func row_kernels, Halide::Expr kw,
                                        Halide::Func col_kernels, Halide::Expr kh, Halide::Expr terms,
                                        Halide::Expr anchor_x, Halide::Expr anchor_y,
                                        Halide::Expr sum_channels, Halide::Expr channels) {
    using Halide::select;
    const Dims d;
    SeparablePasses p{input, Halide::Func("rows"), Halide::Func("cols")};
    const Halide::Var c = d.c, x = d.x, y = d.y, n = d.n, r = p.r;
    // Horizontal pass per term (summing channels here when asked: the passes are linear).
    p.row_taps = Halide::RDom(0, kw, 0, select(sum_channels, channels, 1), "row_taps");
    p.rows(c, x, y, n, r) = 0.0f;
    p.rows(c, x, y, n, r) += row_kernels(p.row_taps.x, r) *
                             input(select(sum_channels, p.row_taps.y, c), x + p.row_taps.x - anchor_x, y, n);
    // Vertical pass, summed over the terms.
    p.col_taps = Halide::RDom(0, kh, 0, terms, "col_taps");
    p.cols(c, x, y, n) = 0.0f;
    p.cols(c, x, y, n) += col_kernels(p.col_taps.x, p.col_taps.y) * p.rows(c, x, y + p.col_taps.x - anchor_y, n, p.col_taps.y);
    return p;
}

}  // namespace hk::gen

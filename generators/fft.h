// FFT correlation (algorithm): a 2D cross-correlation computed by tiled overlap-save FFTs, for
// kernels too large for direct taps (Halide's apps/fft is the model; this one is radix 2).
//
// The output is cut into blocks of B x B pixels, B = T - max_kernel + 1. Each block reads the
// T x T input tile that starts at its first output pixel minus the anchor; the circular
// correlation of that tile with the zero-padded kernel equals the linear one on the block's
// B x B pixels (tap i < kw of pixel u < B <= T - kw + 1 reads u + i < T: it never wraps).
// Two horizontally adjacent tiles go through one complex FFT, as its real and imaginary parts:
// the kernel is real, so the correlation of a + i b is corr(a) + i corr(b) and the halves come
// back apart (no spectrum separation needed).
// Per tile pair: T-point FFTs along y then x (radix-2 Stockham stages, natural order in and
// out), a product with the conjugate of the kernel's spectrum, and the inverse along x then y.
// The kernel's spectrum is computed once per call.
//
// Error (float32, unit roundoff u = 2^-24): each radix-2 stage adds at most ~5u relative error in
// the 2-norm (a rounded twiddle product and an add), so the 4 log2(T) stages, the product and the
// final scaling give |out - exact| <= (4 log2(T) + 2) * 5u * ||tile pair||_2 * sum|k| per pixel,
// with ||tile pair||_2 <= sqrt(2) T max|x|. Tests check that bound against a double-precision
// reference (tests/filters_test.cpp, FftFilterTest).
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "Halide.h"
#include "dims.h"

namespace hk::gen {

// A complex Func: Tuple(re, im) over (i, j, rest...).
struct FftStages {
    std::vector<Halide::Func> stages;  // in order; each over (i, j, rest...)
    std::vector<Halide::Func> twiddles;  // per stage, (k) -> Tuple(cos, sin), k < Ns
    std::vector<int> dims;               // the dimension each stage transforms: 0 (i) or 1 (j)
};

// log2(T) radix-2 Stockham stages of a T-point FFT of `x` along dimension `dim` (0: i, 1: j),
// appended to `out`. Forward: exp(-2 pi i f t / T); inverse: the conjugate, not scaled.
// Stage s (Ns = 2^s): y[blk 2Ns + h Ns + k] = x[blk Ns + k] +- w_k x[blk Ns + k + T/2], w_k =
// exp(-+ i pi k / Ns): every output index names its two inputs, so each stage is a pure Func.
inline Halide::Func fft_along(Halide::Func x, int T, int dim, bool inverse, const std::vector<Halide::Var> &rest,
                              const std::string &name, FftStages *out) {
    using namespace Halide;
    Var i("i"), j("j");
    std::vector<Expr> args{i, j};
    for (const Var &v : rest) args.push_back(v);
    Func cur = x;
    int s = 0;
    for (int ns = 1; ns < T; ns *= 2, s++) {
        Var k("k");
        Func tw(name + "_tw" + std::to_string(s));
        const Expr angle = float(inverse ? M_PI : -M_PI) * cast<float>(k) / float(ns);
        tw(k) = Tuple(cos(angle), sin(angle));
        const Expr pos = args[dim];
        const Expr blk = pos / (2 * ns), kk = pos % ns, upper = (pos % (2 * ns)) >= ns;
        const Expr src = blk * ns + kk;
        std::vector<Expr> at_a = args, at_b = args;
        at_a[dim] = src;
        at_b[dim] = src + T / 2;
        const Tuple a = cur(at_a), b = cur(at_b), w = tw(kk);
        const Expr br = b[0] * w[0] - b[1] * w[1], bi = b[0] * w[1] + b[1] * w[0];
        Func next(name + std::to_string(s));
        next(args) = Tuple(select(upper, a[0] - br, a[0] + br), select(upper, a[1] - bi, a[1] + bi));
        out->stages.push_back(next);
        out->twiddles.push_back(tw);
        out->dims.push_back(dim);
        cur = next;
    }
    return cur;
}

struct FftCorrelation {
    Halide::Func tile;        // (i, j, px, ty, c, n): the tile pair, Tuple(left tile, right tile)
    FftStages forward;        // y stages then x stages of the tiles
    FftStages inverse;        // x stages then y stages back
    FftStages kernel_fft;     // the kernel's spectrum (i, j)
    Halide::Func kernel_padded, spectrum;  // (i, j): the kernel zero-padded to T x T, its FFT
    Halide::Func output;      // (c, x, y, n)
    Halide::Var px{"px"}, ty{"ty"};  // tile pair along x, tile along y
    int size, block;          // T and B
};

// Correlation of `input` (c, x, y, n; its border applied, read on the columns of ColumnsRead
// for the output's columns widened by the kernel) with `kernel` (i, j) of kw x kh <= max_kernel
// taps, anchored at (ax, ay); output pixel (x, y) for x >= out_x0, y >= out_y0.
inline FftCorrelation fft_correlate(Halide::Func input, Halide::Func kernel, Halide::Expr kw, Halide::Expr kh,
                                    Halide::Expr ax, Halide::Expr ay, Halide::Expr out_x0, Halide::Expr out_y0,
                                    int T, int max_kernel) {
    using namespace Halide;
    const Dims d;
    FftCorrelation f;
    f.size = T;
    f.block = T - max_kernel + 1;
    const int B = f.block;
    Var i("i"), j("j");
    const Var px = f.px, ty = f.ty, c = d.c, n = d.n;
    const std::vector<Var> rest{px, ty, c, n};

    // The tile pair: tiles 2 px and 2 px + 1 of row ty, from their first output pixel minus the anchor.
    const Expr x0 = out_x0 + px * (2 * B) - ax + i, y0 = out_y0 + ty * B - ay + j;
    f.tile = Func("fft_tile");
    f.tile(i, j, px, ty, c, n) = Tuple(input(c, x0, y0, n), input(c, x0 + B, y0, n));
    Func along_y = fft_along(f.tile, T, 1, false, rest, "fft_fy", &f.forward);
    Func spectrum_tiles = fft_along(along_y, T, 0, false, rest, "fft_fx", &f.forward);

    // The kernel's spectrum, once per call.
    f.kernel_padded = Func("fft_kernel_padded");
    f.kernel_padded(i, j) = Tuple(select(i < kw && j < kh, kernel(min(i, kw - 1), min(j, kh - 1)), 0.0f), 0.0f);
    Func k_y = fft_along(f.kernel_padded, T, 1, false, {}, "fft_ky", &f.kernel_fft);
    f.spectrum = fft_along(k_y, T, 0, false, {}, "fft_kx", &f.kernel_fft);

    // Correlation: the tiles' spectrum times the conjugate of the kernel's, scaled by 1 / T^2
    // here (exact: a power of two).
    Func product("fft_product");
    const Tuple X = spectrum_tiles(i, j, px, ty, c, n), K = f.spectrum(i, j);
    const float scale = 1.0f / float(T * T);
    product(i, j, px, ty, c, n) = Tuple((X[0] * K[0] + X[1] * K[1]) * scale, (X[1] * K[0] - X[0] * K[1]) * scale);
    Func back_x = fft_along(product, T, 0, true, rest, "fft_ix", &f.inverse);
    Func back = fft_along(back_x, T, 1, true, rest, "fft_iy", &f.inverse);

    // Output pixel (x, y): block (bx, ty), its left (real part) or right (imaginary) tile.
    const Expr u = d.x - out_x0, v = d.y - out_y0;
    const Expr bx = u / B, ui = u % B, vi = v % B;
    const Tuple r = back(ui, vi, bx / 2, v / B, c, n);
    f.output = Func("fft_correlation");
    f.output(c, d.x, d.y, n) = select(bx % 2 == 0, r[0], r[1]);
    return f;
}

}  // namespace hk::gen

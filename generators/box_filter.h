// Box (averaging) filter (algorithm), as a function so fused pipelines can use it. Matches
// OpenCV's boxFilter with the default anchor: the kw x kh window of output (x, y) covers
// columns [x - kw/2, x - kw/2 + kw - 1], likewise rows.
//
// The vertical pass is a running sum (add the row entering the window, subtract the one
// leaving it): its work per pixel does not grow with k, and it vectorizes along x. The sums
// restart every s = max(min_strip, k) rows, which bounds float rounding error (a sum run over a
// whole 4K column drifts) and gives independent strips to run in parallel; a restart costs one
// direct k-sum, i.e. k/s <= 1 per pixel, whatever k.
// The horizontal pass is a direct k-sum per column up to direct_max columns: it vectorizes along
// x, whereas a running sum along x is a serial chain of dependent adds (one pixel at a time).
// From min_quads columns the direct sums add sums of 4 columns, computed once per row.
// Wider windows use strips of running sums as the vertical pass does, so no k costs more than
// direct_max adds per pixel. Those strips are at least min_run_x columns (or the whole output
// width, when narrower): each starts with a direct k-sum, a serial chain of k dependent adds,
// which at 32-column strips cost as much as the running sum itself (k = 31 when it took them:
// a fifth of the whole filter at 1080p, AVX2).
#pragma once
#include "Halide.h"
#include "dims.h"

namespace hk::gen {

struct BoxArgs {
    Halide::Func bounded;           // (c, x, y, n), defined everywhere (border applied)
    Halide::Expr ksize_w, ksize_h;
    Halide::Expr normalize;
    Halide::Expr out_x0, out_y0;    // first output column / row: the strips start there
    Halide::Expr out_w;             // output columns
    int min_strip = 32;
    int direct_max = 24;            // widest window summed directly along x: box_direct_max
    int min_run_x = 256;            // shortest horizontal running-sum strip, in columns
    int min_quads = 0;              // narrowest window summed from quads (0: none): box_min_quads
};

struct BoxDef {
    Halide::Func input;             // the bordered input (BoxArgs::bounded)
    Halide::Func row_sum, col_run, output;
    Halide::RDom strips_x, step_x, step_y;
    Halide::Expr strip_y;           // vertical restart period
    Halide::Func row_direct;        // the horizontal pass as direct sums
    Halide::Func row_quads;         // the same from sums of 4 columns (quads), for wider windows
    Halide::Func quads;
    Halide::Expr direct_rows;       // true: the vertical pass reads row_direct or row_quads,
    Halide::Expr quad_rows;         // row_quads where this is true too (undefined: no quads);
                                    // else row_sum
    Halide::Var yi{"yi"}, ys{"ys"}; // col_run's row within a strip, and strip
};

// The channels summed per pixel (ChannelMode::sum: tf.nn.conv2d with a [k, k, C, 1] kernel of
// ones): sum(0, x, y, n) = sum_c in(c, x, y, n). The box then runs on the sums, so its cost per
// pixel stays independent of k and its error is that of one box over values up to C max|x|
// (a sum-mode box as a kw x kh x C direct filter lost 0.2% at 255 x 255 x 4).
struct ChannelSum {
    Halide::Func sum;
    Halide::RDom channels;
};

inline ChannelSum sum_channels(Halide::Func in, Halide::Expr channels) {
    const Dims d;
    ChannelSum s{Halide::Func("channel_sum"), Halide::RDom(0, channels, "channels")};
    s.sum(d.c, d.x, d.y, d.n) = 0.0f;
    s.sum(d.c, d.x, d.y, d.n) += in(s.channels, d.x, d.y, d.n);
    return s;
}

// The narrowest window summed from quads on target `t` (BoxArgs::min_quads): 20 on CPUs (k15
// measured even, k31 faster, k16-k30 not measured: row_quads' comment); none on GPUs, where the
// quads would be recomputed per output (inline), the same loads as the direct taps.
inline int box_min_quads(const Halide::Target &t) { return t.has_gpu_feature() ? 0 : 20; }

// The widest window summed directly along x on target `t`. A direct sum costs k / lanes vector
// adds per output (k / 4 + k % 4 from min_quads); the running sum is a serial scalar chain
// whatever the width. Measured, 2 threads: AVX2 (Zen 3, 2026-12-03) k = 31 directly took
// 256x256x3 18% less time (median of 8 paired runs), 1080p grey within the noise. SSE4.1 had
// k = 31 directly 1.6x slower at 1080p (24 there) until the quads: with them (Zen 4, capped,
// 5 paired rounds) k31 1080p 2.69 -> 2.13 ms and 256x256x3 0.42 -> 0.30 against running sums.
// GPU targets keep 24.
inline int box_direct_max(const Halide::Target &t) {
    return !t.has_gpu_feature() ? 32 : 24;
}

inline BoxDef box_filter(const BoxArgs &a) {
    using namespace Halide;
    BoxDef d{a.bounded, Func("row_sum"), Func("col_run"), Func("box"), RDom(), RDom(), RDom(), Expr(),
             Func("row_direct"), Func("row_quads"), Func("quads"), Expr(), Expr()};
    const Dims dims;
    const Var c = dims.c, x = dims.x, y = dims.y, n = dims.n, yi = d.yi, ys = d.ys;
    // Horizontal strips: as many as fit whole at min_run_x (or k) columns, spread evenly over
    // the output width, so the last one does not run up to a strip past the image's edge.
    const Expr strips_x = max(1, a.out_w / max(a.min_run_x, a.ksize_w));
    const Expr sx = (a.out_w + strips_x - 1) / strips_x, sy = max(a.min_strip, a.ksize_h);
    d.strip_y = sy;
    const Expr anchor_x = a.ksize_w / 2, anchor_y = a.ksize_h / 2;
    const Func &src = a.bounded;

    // Horizontal pass, stored in natural (c, x, y, n) layout: strips of sx columns from the
    // first output column, each started with a direct k-sum, then slid one column at a time.
    RDom kx(0, a.ksize_w, "kx");
    d.strips_x = RDom(0, strips_x, "strips_x");
    d.step_x = RDom(1, sx - 1, 0, strips_x, "step_x");  // (step in strip, strip)
    Func row_first("row_first");
    row_first(c, x, y, n) = sum(src(c, x - anchor_x + kx, y, n));
    d.row_sum(c, x, y, n) = undef<float>();
    Expr first = a.out_x0 + d.strips_x * sx;
    d.row_sum(c, first, y, n) = row_first(c, first, y, n);
    Expr xx = a.out_x0 + d.step_x.y * sx + d.step_x.x;
    // (entering - leaving) first: the serial chain from column to column is one add, not two.
    d.row_sum(c, xx, y, n) = d.row_sum(c, xx - 1, y, n) + (src(c, xx - anchor_x + a.ksize_w - 1, y, n) -
                                                           src(c, xx - anchor_x - 1, y, n));
    // Or direct k-sums. Schedules specialize on direct_rows, so each branch computes one of them.
    d.row_direct(c, x, y, n) = sum(src(c, x - anchor_x + kx, y, n), "row_direct_sum");
    // Wide windows as k / 4 sums of 4 columns (each quad shared by 4 neighbouring outputs) and
    // the k % 4 columns left: k = 31 is 10 loads and adds per output vector instead of 31.
    // Measured (AVX-512, Zen 4, 2 threads, medians of 5 paired rounds): k31 1080p 2.32 -> 1.54 ms,
    // 256x256x3 0.277 -> 0.217. With quads for every k, k15 measured 0.93x / 1.08x and k3, k5
    // 1.09-1.32x slower (their pass costs more than the taps it saves), hence min_quads.
    d.direct_rows = a.ksize_w <= a.direct_max;
    Func rows("rows");
    if (a.min_quads > 0) {
        RDom quad(0, a.ksize_w / 4, "quad"), rest(0, a.ksize_w % 4, "rest");
        d.quads(c, x, y, n) = (src(c, x, y, n) + src(c, x + 1, y, n)) + (src(c, x + 2, y, n) + src(c, x + 3, y, n));
        const Expr left = x - anchor_x;
        d.row_quads(c, x, y, n) = sum(d.quads(c, left + 4 * quad, y, n), "row_quads_sum") +
                                  sum(src(c, left + a.ksize_w / 4 * 4 + rest, y, n), "row_quads_rest");
        d.quad_rows = a.ksize_w >= a.min_quads;
        rows(c, x, y, n) = select(d.direct_rows, select(d.quad_rows, d.row_quads(c, x, y, n), d.row_direct(c, x, y, n)),
                                  d.row_sum(c, x, y, n));
    } else {
        rows(c, x, y, n) = select(d.direct_rows, d.row_direct(c, x, y, n), d.row_sum(c, x, y, n));
    }

    // Vertical pass over the row sums: col_run(c, x, yi, ys, n) is the window sum at output row
    // out_y0 + ys * sy + yi. Pure-var strips, so a schedule can compute any band of rows.
    RDom ky(0, a.ksize_h, "ky");
    d.step_y = RDom(1, sy - 1, "step_y");
    Expr y0 = a.out_y0 + ys * sy - anchor_y;  // first row of the window of yi = 0
    d.col_run(c, x, yi, ys, n) = undef<float>();
    d.col_run(c, x, 0, ys, n) = sum(rows(c, x, y0 + ky, n), "col_first");
    d.col_run(c, x, d.step_y, ys, n) = d.col_run(c, x, d.step_y - 1, ys, n) +
                                       rows(c, x, y0 + d.step_y + a.ksize_h - 1, n) -
                                       rows(c, x, y0 + d.step_y - 1, n);

    Expr scale = select(a.normalize, 1.0f / cast<float>(a.ksize_w * a.ksize_h), 1.0f);
    Expr dy = y - a.out_y0;
    d.output(c, x, y, n) = d.col_run(c, x, dy % sy, dy / sy, n) * scale;
    return d;
}

}  // namespace hk::gen

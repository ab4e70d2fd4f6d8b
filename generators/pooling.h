// 2D max / average pooling (algorithm), TensorFlow semantics, as a function so fused pipelines
// can use it: padded cells are ignored (max never sees them, average divides by the number of
// real cells), unless count_include_pad, which divides by the whole window.
#pragma once
#include <limits>

#include "Halide.h"
#include "dims.h"
#include "hk/enums.h"

namespace hk::gen {

struct PoolArgs {
    Halide::Func src;  // (c, x, y, n) on [0, src_w) x [0, src_h)
    Halide::Expr src_w, src_h;
    Halide::Expr kind;  // an hk::PoolKind
    Halide::Expr window_w, window_h, stride_x, stride_y, pad_left, pad_top;
    Halide::Expr count_include_pad;
    // True when every window lies inside the source (VALID pooling, the common case; computed
    // on the host): the windows are read without the padding test and without clamping, in a
    // branch of their own (schedules specialize on PoolDef::windows_inside).
    Halide::Expr windows_inside;
};

struct PoolDef {
    Halide::Func acc, output;
    Halide::RDom window;
    Halide::Expr is_max;    // kind == max: schedules specialize on it
    Halide::Expr stride_y;  // as given: fused schedules size their bands of rows with it
    Halide::Expr windows_inside;  // PoolArgs::windows_inside
};

inline PoolDef pool2d(const PoolArgs &a) {
    using namespace Halide;
    const Dims dims;
    const Var c = dims.c, x = dims.x, y = dims.y, n = dims.n;
    PoolDef d{Func("acc"), Func("pooled"), RDom(), a.kind == int(PoolKind::max), a.stride_y, a.windows_inside};
    Expr x0 = x * a.stride_x - a.pad_left, y0 = y * a.stride_y - a.pad_top;  // window's first cell
    d.window = RDom(0, a.window_w, 0, a.window_h, "window");
    Expr ix = x0 + d.window.x, iy = y0 + d.window.y;
    // Inside, the coordinates are promised in range (no code; bounds inference still sees the
    // source's extent); elsewhere they are clamped and the cells outside ignored.
    Expr xs = select(a.windows_inside, unsafe_promise_clamped(ix, 0, a.src_w - 1), clamp(ix, 0, a.src_w - 1));
    Expr ys = select(a.windows_inside, unsafe_promise_clamped(iy, 0, a.src_h - 1), clamp(iy, 0, a.src_h - 1));
    Expr inside = a.windows_inside || (ix >= 0 && ix < a.src_w && iy >= 0 && iy < a.src_h);
    Expr v = a.src(c, xs, ys, n);
    const float lowest = -std::numeric_limits<float>::infinity();
    d.acc(c, x, y, n) = select(d.is_max, lowest, 0.0f);
    d.acc(c, x, y, n) = select(d.is_max, max(d.acc(c, x, y, n), select(inside, v, lowest)),
                               d.acc(c, x, y, n) + select(inside, v, 0.0f));
    // Real cells in the window, in closed form.
    Expr cells = (min(x0 + a.window_w, a.src_w) - max(x0, 0)) * (min(y0 + a.window_h, a.src_h) - max(y0, 0));
    // (Windows all inside: every window is whole, so the whole window, a constant per call.)
    Expr divisor = cast<float>(select(a.count_include_pad || a.windows_inside, a.window_w * a.window_h, max(cells, 1)));
    d.output(c, x, y, n) = select(d.is_max, d.acc(c, x, y, n), d.acc(c, x, y, n) / divisor);
    return d;
}

// Pooling's parameters as generator inputs, declared once for every generator that takes them
// (hk_pooling, the fused box -> pooling model); see Conv2DInputs in conv2d.h.
struct PoolInputs {
    Halide::GeneratorInput<int32_t> kind{"kind"};  // hk::PoolKind
    Halide::GeneratorInput<int32_t> window_w{"window_w"}, window_h{"window_h"};
    Halide::GeneratorInput<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Halide::GeneratorInput<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Halide::GeneratorInput<bool> count_include_pad{"count_include_pad"};
    Halide::GeneratorInput<bool> windows_inside{"windows_inside"};  // see PoolArgs

    // The pooling of src (defined on [0, w) x [0, h)).
    PoolDef apply(Halide::Func src, Halide::Expr w, Halide::Expr h) {
        return pool2d({src, w, h, kind, window_w, window_h, stride_x, stride_y, pad_left, pad_top, count_include_pad,
                       windows_inside});
    }

    // The autoschedulers' estimates: 2x2 max pooling with stride 2 (Keras' MaxPooling2D).
    void set_estimates() {
        kind.set_estimate(int(PoolKind::max)), window_w.set_estimate(2), window_h.set_estimate(2);
        stride_x.set_estimate(2), stride_y.set_estimate(2), pad_left.set_estimate(0), pad_top.set_estimate(0);
        count_include_pad.set_estimate(false), windows_inside.set_estimate(true);
    }
};

}  // namespace hk::gen

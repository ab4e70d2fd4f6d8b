// 2D convolution (algorithm), tf.nn.conv2d semantics, as a function so fused pipelines can
// put it after another stage: cross-correlation, HWIO weights, stride, dilation, zero padding
// given as (left, top) offsets, groups, bias, activation.
#pragma once
#include "Halide.h"
#include "activation.h"
#include "dims.h"

namespace hk::gen {

struct Conv2DDef {
    Halide::Func padded;  // the zero-padded input
    Halide::Func acc;     // the accumulator: bias, then one update over the taps
    Halide::Func output;  // the activation of acc
    Halide::RDom taps;    // (input channel in group, kx, ky)
    Halide::Expr groups, activation;  // as given: schedules specialize on them
    Halide::Expr dilated;             // dilation != 1; undefined unless Conv2DArgs::dilated_reads_input

    // Few input channels (an RGB or gray image into the first layer: the seed's 3 -> 32). Over
    // (c, kx, ky) the innermost reduction would be the 3 channels, a 3-iteration loop around
    // each register block's FMAs. In NHWC the (kx, c) taps of one kernel row are one contiguous
    // run of kw * C floats, so for groups == 1 without dilation the taps are (j, ky),
    // j = kx * C + c: one contiguous reduction of kw * C per kernel row, over
    //   rows: the zero-padded input as flat rows (k = x * C + c, y, n), and
    //   row_weights: the weights as (o, j, ky), HWIO's own memory order; the copy (per band of
    //     rows, kw * kh * C * O floats) only re-indexes it, as a Func cannot be reshaped.
    Halide::Func rows, row_weights, acc_rows;
    Halide::RDom row_taps;      // (j, ky)
    Halide::Expr few_channels;  // output reads acc_rows (schedules specialize on it), else acc
};

// The input channels up to which a convolution takes the flat-row reduction above.
constexpr int kFewInputChannels = 4;

struct Conv2DArgs {
    Halide::Func src;                 // (c, x, y, n), defined on [0, src_w) x [0, src_h)
    Halide::Expr src_w, src_h;
    Halide::Func weights;             // (o, i, kx, ky): HWIO memory
    Halide::Expr kw, kh, in_per_group;
    Halide::Func bias;                // (o)
    Halide::Expr out_channels;
    Halide::Expr stride_x, stride_y, dilation_x, dilation_y, pad_left, pad_top, groups;
    Halide::Expr activation, alpha;
    // src is a Func defined everywhere (an earlier stage, not a buffer): reading it outside
    // [0, src_w) x [0, src_h) is harmless, so the zero padding needs no clamped coordinates.
    bool src_defined_everywhere = false;
    // Dilated convolutions read src directly instead of `padded`: a schedule that stages
    // `padded` per band of output rows holds the whole dilated window ((k - 1) dilation + 1 rows
    // of the padded width), which a large dilation made gigabytes. Schedules specialize on
    // Conv2DDef::dilated so each branch reads one of them. Off for a src that is itself staged
    // inside `padded`'s loops (the fused Gabor -> conv2d model).
    bool dilated_reads_input = true;
    // The few-input-channel reduction over flat rows (Conv2DDef::rows): a CPU register-blocking
    // device. GPU targets, one thread per output, keep the (c, kx, ky) taps: with `rows` inlined
    // there every tap paid a division by C (PoCL: 3 -> 32 at 256x256 went from 55 to 247 ms).
    bool few_channel_rows = true;
};

inline Conv2DDef conv2d(const Conv2DArgs &a) {
    using namespace Halide;
    const Dims dims;
    const Var o = dims.o, c = dims.c, x = dims.x, y = dims.y, n = dims.n;
    Conv2DDef d{Func("padded"), Func("conv"), Func("conv_out"), RDom(), a.groups, a.activation,
                a.dilated_reads_input ? (a.dilation_x != 1 || a.dilation_y != 1) : Expr(),
                Func("conv_rows"), Func("conv_row_weights"), Func("conv_acc_rows"), RDom(),
                // Simplified here as Halide simplifies a specialization's condition: the other
                // branches drop acc_rows only where the select's condition is that same Expr.
                a.few_channel_rows ? Internal::simplify(a.groups == 1 && a.dilation_x == 1 && a.dilation_y == 1 &&
                                                        a.in_per_group <= kFewInputChannels)
                                   : Expr(false)};
    Expr inside = x >= 0 && x < a.src_w && y >= 0 && y < a.src_h;
    Expr xs = a.src_defined_everywhere ? Expr(x) : clamp(x, 0, a.src_w - 1);
    Expr ys = a.src_defined_everywhere ? Expr(y) : clamp(y, 0, a.src_h - 1);
    d.padded(c, x, y, n) = select(likely(inside), a.src(c, xs, ys, n), 0.0f);
    Func tap_source("tap_source");
    tap_source(c, x, y, n) = d.dilated.defined()
                                 ? select(d.dilated, select(inside, a.src(c, xs, ys, n), 0.0f), d.padded(c, x, y, n))
                                 : d.padded(c, x, y, n);
    d.taps = RDom(0, a.in_per_group, 0, a.kw, 0, a.kh, "taps");
    Expr out_per_group = a.out_channels / a.groups;
    Expr group = select(a.groups == 1, 0, o / out_per_group);
    d.acc(o, x, y, n) = a.bias(o);
    d.acc(o, x, y, n) += a.weights(o, d.taps.x, d.taps.y, d.taps.z) *
                          tap_source(group * a.in_per_group + d.taps.x,
                                   x * a.stride_x - a.pad_left + d.taps.y * a.dilation_x,
                                   y * a.stride_y - a.pad_top + d.taps.z * a.dilation_y, n);

    // The few-input-channel form (Conv2DDef::rows). A src that is a buffer is read straight
    // into the flat rows; one defined everywhere (an earlier stage) through `padded`, where
    // schedules stage it.
    const Var k("k"), j("j"), ky("ky");
    const Expr C = a.in_per_group;
    if (a.src_defined_everywhere) {
        d.rows(k, y, n) = d.padded(k % C, k / C, y, n);
    } else {
        // likely() in the clamp, as Halide's BoundaryConditions write it: the staging loop over k
        // is partitioned and its interior drops the clamp, so where the x stride is C the copy is
        // a dense vector load (the clamped ramp was 8 scalar loads per vector: 10% of the AVX2
        // 3->32 profile); only the padding columns at the row's ends evaluate the clamp.
        const Expr kc = clamp(likely(k), 0, a.src_w * C - 1);
        d.rows(k, y, n) = select(k >= 0 && k < a.src_w * C && y >= 0 && y < a.src_h,
                                 a.src(kc % C, kc / C, ys, n), 0.0f);
    }
    d.row_weights(o, j, ky) = a.weights(o, j % C, j / C, ky);
    d.row_taps = RDom(0, a.kw * C, 0, a.kh, "row_taps");
    d.acc_rows(o, x, y, n) = a.bias(o);
    d.acc_rows(o, x, y, n) += d.row_weights(o, d.row_taps.x, d.row_taps.y) *
                               d.rows((x * a.stride_x - a.pad_left) * C + d.row_taps.x,
                                      y * a.stride_y - a.pad_top + d.row_taps.y, n);

    const Expr sum = a.few_channel_rows ? select(d.few_channels, d.acc_rows(o, x, y, n), d.acc(o, x, y, n))
                                        : d.acc(o, x, y, n);
    d.output(o, x, y, n) = activate(sum, a.activation, a.alpha);
    return d;
}

// conv2d's parameters as generator inputs, declared once for every generator that takes them
// (hk_conv2d, the fused Gabor -> conv2d model). A member of the generator: Halide finds a
// generator's inputs by their address inside it, so these keep their place in its signature.
struct Conv2DInputs {
    Halide::GeneratorInput<Halide::Buffer<float, 4>> weights{"weights"};  // HWIO memory: (o, i, kx, ky)
    Halide::GeneratorInput<Halide::Buffer<float, 1>> bias{"bias"};        // (o)
    Halide::GeneratorInput<int32_t> stride_x{"stride_x"}, stride_y{"stride_y"};
    Halide::GeneratorInput<int32_t> dilation_x{"dilation_x"}, dilation_y{"dilation_y"};
    Halide::GeneratorInput<int32_t> pad_left{"pad_left"}, pad_top{"pad_top"};
    Halide::GeneratorInput<int32_t> groups{"groups"};
    Halide::GeneratorInput<int32_t> activation{"activation"};  // hk::Activation
    Halide::GeneratorInput<float> alpha{"alpha"};

    // The convolution of src (defined on [0, w) x [0, h)) into `out_channels` channels.
    // `target`: the generator's; GPU targets take no few-input-channel branch (Conv2DArgs).
    Conv2DDef apply(Halide::Func src, Halide::Expr w, Halide::Expr h, Halide::Expr out_channels,
                    const Halide::Target &target, bool src_defined_everywhere = false) {
        return conv2d({src, w, h, weights, weights.dim(2).extent(), weights.dim(3).extent(), weights.dim(1).extent(),
                       bias, out_channels, stride_x, stride_y, dilation_x, dilation_y, pad_left, pad_top, groups,
                       activation, alpha, src_defined_everywhere, /*dilated_reads_input=*/!src_defined_everywhere,
                       /*few_channel_rows=*/!target.has_gpu_feature()});
    }

    // The autoschedulers' estimates: a k x k SAME convolution from `in` to `out` channels.
    void set_estimates(int in, int out, int k, Activation kind) {
        weights.set_estimates({{0, out}, {0, in}, {0, k}, {0, k}}), bias.set_estimates({{0, out}});
        stride_x.set_estimate(1), stride_y.set_estimate(1), dilation_x.set_estimate(1), dilation_y.set_estimate(1);
        pad_left.set_estimate(k / 2), pad_top.set_estimate(k / 2), groups.set_estimate(1);
        activation.set_estimate(int(kind)), alpha.set_estimate(0.0f);
    }
};

}  // namespace hk::gen

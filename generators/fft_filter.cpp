// Large kernels (Gabor, filter2d) by tiled overlap-save FFTs (algorithm in fft.h): the same
// result as filter2d (cross-correlation, any border, per channel or summed over channels)
// within fft.h's error bound, at a cost per pixel that does not grow with the kernel. The
// runtime picks this path per call by its cost model (hk::FilterPath).
#include "Halide.h"
#include "border.h"
#include "box_filter.h"  // sum_channels
#include "fft.h"
#include "hk/filters.h"  // kFftSize, kFftMaxSide
#include "kernel_generator.h"
#include "schedules/fft_filter.h"

namespace {

using namespace Halide;

class FftFilter : public hk::gen::KernelGenerator<FftFilter> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::FftCorrelation fft;
    hk::gen::ChannelSum channel_sum;
    Func bounded;

public:
    Input<Buffer<void, 4>> input{"input"};     // (c, x, y, n); uint8 or float32
    Input<Buffer<float, 2>> kernel{"kernel"};  // (i, j): multiplies in(x + i - anchor_x, y + j - anchor_y)
    Input<int32_t> anchor_x{"anchor_x"}, anchor_y{"anchor_y"};
    Input<int32_t> border{"border"};           // hk::Border
    Input<bool> sum_channels{"sum_channels"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        // The tile side T and the largest kernel side, shared with the runtime's cost model
        // (hk/filters.h): blocks of T - K + 1 output pixels per tile, 96 x 96 of each 128 x 128
        // tile. T = 128 halves the work per pixel of T = 64 (32 x 32 blocks): Gabor k31 at
        // 1080p 10.6 against 15.7 ms, AVX-512.
        constexpr int T = hk::kFftSize, K = hk::kFftMaxSide;
        static_assert(T >= 8 && (T & (T - 1)) == 0 && K >= 1 && K < T, "kFftSize: a power of 2 above kFftMaxSide");
        Func in = hk::gen::as_float(input);
        channel_sum = hk::gen::sum_channels(in, input.dim(0).extent());
        // Summing the channels first is exact algebra: the kernel is the same for every channel.
        Func source("source");
        source(d.c, d.x, d.y, d.n) = select(sum_channels, channel_sum.sum(d.c, d.x, d.y, d.n), in(d.c, d.x, d.y, d.n));
        const Expr kw = kernel.dim(0).extent(), kh = kernel.dim(1).extent();
        const auto cols = hk::gen::ColumnsRead::of(output.dim(1).min(), output.dim(1).extent(), anchor_x, kw - 1 - anchor_x);
        bounded = hk::gen::with_border(source, input.dim(1).extent(), input.dim(2).extent(), border, cols, "bounded");
        Var i("i"), j("j");
        Func weights("weights");
        weights(i, j) = kernel(i, j);
        fft = hk::gen::fft_correlate(bounded, weights, kw, kh, anchor_x, anchor_y, output.dim(1).min(),
                                     output.dim(2).min(), T, K);
        output(d.c, d.x, d.y, d.n) = fft.output(d.c, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) {
        hk::sched::schedule_fft_filter(fft, bounded, channel_sum, sum_channels, output, input.dim(1).stride(),
                                       get_target(), k);
    }

    void estimates() {  // a 31x31 Gabor on a 1080p grey image
        input.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        output.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        kernel.set_estimates({{0, 31}, {0, 31}});
        anchor_x.set_estimate(15), anchor_y.set_estimate(15);
        border.set_estimate(int(hk::Border::reflect101)), sum_channels.set_estimate(false);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(FftFilter, hk_fft_filter)

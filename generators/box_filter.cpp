// Box (averaging) filter over NHWC (algorithm in box_filter.h), per channel or of the channels
// summed, any border.
#include "Halide.h"
#include "border.h"
#include "box_filter.h"
#include "kernel_generator.h"
#include "schedules/box_filter.h"

namespace {

using namespace Halide;

class BoxFilter : public hk::gen::KernelGenerator<BoxFilter> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::BoxDef box;
    hk::gen::ChannelSum channel_sum;

public:
    GeneratorParam<int> strip{"strip", 32};  // shortest running-sum restart period, in samples

    Input<Buffer<void, 4>> input{"input"};  // (c, x, y, n): NHWC memory; uint8 or float32
    Input<int32_t> ksize_w{"ksize_w"};
    Input<int32_t> ksize_h{"ksize_h"};
    Input<bool> normalize{"normalize"};
    Input<int32_t> border{"border"};  // hk::Border
    Input<bool> sum_channels{"sum_channels"};  // ChannelMode::sum: one output channel
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Func in = hk::gen::as_float(input);
        channel_sum = hk::gen::sum_channels(in, input.dim(0).extent());
        // Schedules specialize on sum_channels: each branch computes only what it reads.
        Func source("source");
        source(d.c, d.x, d.y, d.n) = select(sum_channels, channel_sum.sum(d.c, d.x, d.y, d.n), in(d.c, d.x, d.y, d.n));
        const auto cols = hk::gen::ColumnsRead::of(output.dim(1).min(), output.dim(1).extent(), ksize_w / 2,
                                                   ksize_w - 1 - ksize_w / 2);
        Func bounded = hk::gen::with_border(source, input.dim(1).extent(), input.dim(2).extent(), border, cols, "bounded");
        hk::gen::BoxArgs args{bounded, ksize_w, ksize_h, normalize, output.dim(1).min(), output.dim(2).min(),
                              output.dim(1).extent(), strip};
        args.direct_max = hk::gen::box_direct_max(get_target());
        args.min_quads = hk::gen::box_min_quads(get_target());
        box = hk::gen::box_filter(args);
        output(d.c, d.x, d.y, d.n) = box.output(d.c, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_box_filter(box, channel_sum, sum_channels, output, input.dim(1).stride(), get_target(), k); }

    void estimates() {  // a 5x5 box on a 1080p grey image
        input.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        output.set_estimates(hk::gen::nhwc_estimate(1, 1920, 1080));
        ksize_w.set_estimate(5), ksize_h.set_estimate(5), normalize.set_estimate(true);
        border.set_estimate(int(hk::Border::reflect101)), sum_channels.set_estimate(false);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(BoxFilter, hk_box_filter)

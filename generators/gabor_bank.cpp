// Gabor filter bank (algorithm in gabor_bank.h): F filters on every channel in one pipeline,
// output channel c * F + f, real responses or magnitudes.
#include "Halide.h"
#include "border.h"
#include "gabor_bank.h"
#include "kernel_generator.h"
#include "schedules/gabor_bank.h"

namespace {

using namespace Halide;

class GaborBank : public hk::gen::KernelGenerator<GaborBank> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.
    hk::gen::GaborBankDef bank;

public:
    GeneratorParam<bool> magnitude{"magnitude", false};

    Input<Buffer<void, 4>> input{"input"};       // (c, x, y, n); uint8 or float32
    Input<Buffer<float, 2>> filters{"filters"};  // (k, f), k: cos_theta sin_theta ex ey cscale psi
    Input<int32_t> ksize_w{"ksize_w"}, ksize_h{"ksize_h"};
    Input<int32_t> border{"border"};             // hk::Border
    Output<Buffer<float, 4>> output{"output"};   // (o = c * F + f, x, y, n)

    void generate() {
        const Expr half_w = ksize_w / 2;
        const auto cols = hk::gen::ColumnsRead::of(output.dim(1).min(), output.dim(1).extent(), half_w, half_w);
        Func bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                            input.dim(2).extent(), border, cols, "bounded");
        bank = hk::gen::gabor_bank(bounded, filters, filters.dim(1).extent(), ksize_w, ksize_h, magnitude,
                                   input.dim(0).extent(), /*by_filter=*/!get_target().has_gpu_feature());
        output(d.o, d.x, d.y, d.n) = bank.output(d.o, d.x, d.y, d.n);
    }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_gabor_bank(bank, output, input.dim(1).stride(), get_target(), k); }

    void estimates() {  // 16 filters of 15x15 on a 256x256 grey image
        input.set_estimates(hk::gen::nhwc_estimate(1, 256, 256));
        output.set_estimates(hk::gen::nhwc_estimate(16, 256, 256));
        filters.set_estimates({{0, 6}, {0, 16}});
        ksize_w.set_estimate(15), ksize_h.set_estimate(15);
        border.set_estimate(int(hk::Border::reflect101));
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(GaborBank, hk_gabor_bank)

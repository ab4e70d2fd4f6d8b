// Gabor filter (algorithm). Matches OpenCV's getGaborKernel + filter2D:
//   kernel size (2*(ksize/2)+1) per axis, as getGaborKernel rounds even sizes up;
//   g(x, y) = exp(ex xr^2 + ey yr^2) * cos(cscale xr + psi),
//   xr = x cos(theta) + y sin(theta), yr = -x sin(theta) + y cos(theta);
//   out(p) = sum_d g(-d) * in(p + d)  (getGaborKernel stores g flipped, filter2D correlates).
// Every parameter is a runtime input: changing one never needs a rebuild. The runtime passes
// getGaborKernel's derived constants, computed in double as OpenCV does:
//   ex = -1 / (2 sigma^2), ey = -gamma^2 / (2 sigma^2), cscale = 2 pi / lambda.
#include "Halide.h"
#include "activation.h"
#include "border.h"
#include "correlate.h"
#include "schedules/correlate.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class Gabor : public hk::sched::Tunable<Gabor> {
public:
    Input<Buffer<void, 4>> input{"input"};  // (c, x, y, n): NHWC memory; uint8 or float32
    Input<int32_t> ksize_w{"ksize_w"};
    Input<int32_t> ksize_h{"ksize_h"};
    Input<float> cos_theta{"cos_theta"};
    Input<float> sin_theta{"sin_theta"};
    Input<float> ex{"ex"};
    Input<float> ey{"ey"};
    Input<float> cscale{"cscale"};
    Input<float> psi{"psi"};
    Input<int32_t> border{"border"};  // hk::gen::BorderMode
    Input<bool> sum_channels{"sum_channels"};
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Expr half_w = ksize_w / 2, half_h = ksize_h / 2;
        // Kernel taps, indexed like filter2D's kernel: tap (i, j) multiplies in(x + i - half_w, y + j - half_h).
        Expr gx = cast<float>(half_w - i), gy = cast<float>(half_h - j);
        Expr xr = gx * cos_theta + gy * sin_theta;
        Expr yr = -gx * sin_theta + gy * cos_theta;
        weights(i, j) = exp(ex * xr * xr + ey * yr * yr) * cos(cscale * xr + psi);

        bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                       input.dim(2).extent(), border, "bounded");
        corr = hk::gen::correlate(bounded, weights, 2 * half_w + 1, 2 * half_h + 1, half_w, half_h,
                                  sum_channels, input.dim(0).extent());
        output(c, x, y, n) = corr.conv(c, x, y, n);
    }

    void schedule() {
        if (using_autoscheduler()) {  // a 15x15 Gabor on a 1080p grey image
            input.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            output.set_estimates({{0, 1}, {0, 1920}, {0, 1080}, {0, 1}});
            ksize_w.set_estimate(15), ksize_h.set_estimate(15);
            cos_theta.set_estimate(1.0f), sin_theta.set_estimate(0.0f);
            ex.set_estimate(-0.02f), ey.set_estimate(-0.01f), cscale.set_estimate(0.6f), psi.set_estimate(0.0f);
            border.set_estimate(hk::gen::kBorderReflect101), sum_channels.set_estimate(false);
            return;
        }
        if (apply_checked_in()) return;
        weights.compute_root();  // once per call, host side on GPU targets
        hk::sched::schedule_correlate(
            {output, corr.conv, bounded, corr.taps, output.dim(1).stride(), output.dim(1).extent(),
             output.dim(2).extent(), Expr(), c, x, y, n},
            get_target(), knobs());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, i{"i"}, j{"j"};
    Func weights{"weights"}, bounded{"bounded"};
    hk::gen::Correlation corr;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Gabor, hk_gabor)

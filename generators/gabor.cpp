// Gabor filter (algorithm). Matches OpenCV's getGaborKernel + filter2D:
//   kernel size (2*(ksize/2)+1) per axis, as getGaborKernel rounds even sizes up;
//   g(x, y) = exp(-(xr^2 + gamma^2 yr^2) / (2 sigma^2)) * cos(2 pi xr / lambda + psi),
//   xr = x cos(theta) + y sin(theta), yr = -x sin(theta) + y cos(theta);
//   out(p) = sum_d g(-d) * in(p + d)  (getGaborKernel stores g flipped, filter2D correlates).
// Every parameter is a runtime input: changing one never needs a rebuild. The runtime passes
// getGaborKernel's derived constants, computed in double as OpenCV does:
//   ex = -1 / (2 sigma^2), ey = -gamma^2 / (2 sigma^2), cscale = 2 pi / lambda.
#include "Halide.h"
#include "border.h"
#include "schedules/gabor.h"

namespace {

using namespace Halide;

class Gabor : public Generator<Gabor> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n): NHWC memory
    Input<int32_t> ksize_w{"ksize_w"};
    Input<int32_t> ksize_h{"ksize_h"};
    Input<float> cos_theta{"cos_theta"};
    Input<float> sin_theta{"sin_theta"};
    Input<float> ex{"ex"};
    Input<float> ey{"ey"};
    Input<float> cscale{"cscale"};
    Input<float> psi{"psi"};
    Input<int32_t> border{"border"};  // hk::gen::BorderMode
    Output<Buffer<float, 4>> output{"output"};

    void generate() {
        Expr half_w = ksize_w / 2, half_h = ksize_h / 2;
        Expr taps_w = 2 * half_w + 1, taps_h = 2 * half_h + 1;

        // Kernel taps, indexed like filter2D's kernel: tap (i, j) multiplies in(x + i - half_w, y + j - half_h).
        Expr gx = cast<float>(half_w - i), gy = cast<float>(half_h - j);
        Expr xr = gx * cos_theta + gy * sin_theta;
        Expr yr = -gx * sin_theta + gy * cos_theta;
        weights(i, j) = exp(ex * xr * xr + ey * yr * yr) * cos(cscale * xr + psi);

        bounded = hk::gen::with_border(input, input.dim(1).extent(), input.dim(2).extent(), border,
                                       "bounded");
        taps = RDom(0, taps_w, 0, taps_h, "taps");
        conv(c, x, y, n) = 0.0f;
        conv(c, x, y, n) +=
            weights(taps.x, taps.y) * bounded(c, x + taps.x - half_w, y + taps.y - half_h, n);
        output(c, x, y, n) = conv(c, x, y, n);
    }

    void schedule() {
        hk::sched::GaborFuncs f{output, conv, weights, bounded, taps, output.dim(1).stride(),
                                output.dim(1).extent(), output.dim(2).extent(),
                                c, x, y, n, i, j};
        if (using_autoscheduler()) {
            set_estimates();
        } else {
            hk::sched::schedule_gabor(f, get_target());
        }
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"}, i{"i"}, j{"j"};
    Func weights{"weights"}, bounded{"bounded"}, conv{"conv"};
    RDom taps;

    void set_estimates() {
        input.set_estimates({{0, 3}, {0, 256}, {0, 256}, {0, 1}});
        output.set_estimates({{0, 3}, {0, 256}, {0, 256}, {0, 1}});
        ksize_w.set_estimate(15);
        ksize_h.set_estimate(15);
        cos_theta.set_estimate(0.87f);
        sin_theta.set_estimate(0.5f);
        ex.set_estimate(-0.03f);
        ey.set_estimate(-0.008f);
        cscale.set_estimate(0.6f);
        psi.set_estimate(1.57f);
        border.set_estimate(hk::gen::kBorderReflect101);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Gabor, hk_gabor)

// Gabor filter bank (algorithm): F filters (orientations x scales x phases) on every channel in
// one pipeline; output channel c * F + f. Each filter's getGaborKernel constants come from the
// runtime as a (6, F) table: cos theta, sin theta, ex, ey, cscale, psi.
//   magnitude = false: out = the real response (the runtime shifts psi by -pi/2 for imaginary)
//   magnitude = true:  out = sqrt(real^2 + imaginary^2), both sums in one pass (a Tuple)
#include "Halide.h"
#include "border.h"
#include "schedules/gabor_bank.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class GaborBank : public hk::sched::Tunable<GaborBank> {
public:
    GeneratorParam<bool> magnitude{"magnitude", false};

    Input<Buffer<void, 4>> input{"input"};     // (c, x, y, n); uint8 or float32
    Input<Buffer<float, 2>> filters{"filters"};  // (k, f), k: cos_theta sin_theta ex ey cscale psi
    Input<int32_t> ksize_w{"ksize_w"}, ksize_h{"ksize_h"};
    Input<int32_t> border{"border"};
    Output<Buffer<float, 4>> output{"output"};  // (o = c * F + f, x, y, n)

    void generate() {
        Expr half_w = ksize_w / 2, half_h = ksize_h / 2;
        Expr gx = cast<float>(half_w - i), gy = cast<float>(half_h - j);
        Expr ct = filters(0, f), st = filters(1, f);
        Expr xr = gx * ct + gy * st, yr = -gx * st + gy * ct;
        Expr envelope = exp(filters(2, f) * xr * xr + filters(3, f) * yr * yr);
        Expr phase = filters(4, f) * xr + filters(5, f);
        if (magnitude) weights(i, j, f) = {envelope * cos(phase), envelope * sin(phase)};
        else weights(i, j, f) = envelope * cos(phase);

        bounded = hk::gen::with_border(hk::gen::as_float(input), input.dim(1).extent(),
                                       input.dim(2).extent(), border, "bounded");
        // Indexed by output channel o = c * F + f, so a schedule computing one o at a time
        // allocates one channel (bounds of o % F with a run-time F would span every filter).
        Expr filter_count = filters.dim(1).extent();
        Expr fo = o % filter_count, co = o / filter_count;
        taps = RDom(0, 2 * half_w + 1, 0, 2 * half_h + 1, "taps");
        Expr v = bounded(co, x + taps.x - half_w, y + taps.y - half_h, n);
        if (magnitude) {
            conv(o, x, y, n) = {0.0f, 0.0f};
            conv(o, x, y, n) = {conv(o, x, y, n)[0] + weights(taps.x, taps.y, fo)[0] * v,
                                conv(o, x, y, n)[1] + weights(taps.x, taps.y, fo)[1] * v};
            output(o, x, y, n) = sqrt(conv(o, x, y, n)[0] * conv(o, x, y, n)[0] +
                                      conv(o, x, y, n)[1] * conv(o, x, y, n)[1]);
        } else {
            conv(o, x, y, n) = 0.0f;
            conv(o, x, y, n) += weights(taps.x, taps.y, fo) * v;
            output(o, x, y, n) = conv(o, x, y, n);
        }
    }

    void schedule() {
        if (using_autoscheduler()) {  // 16 filters of 15x15 on a 256x256 grey image
            input.set_estimates({{0, 1}, {0, 256}, {0, 256}, {0, 1}});
            output.set_estimates({{0, 16}, {0, 256}, {0, 256}, {0, 1}});
            filters.set_estimates({{0, 6}, {0, 16}});
            ksize_w.set_estimate(15), ksize_h.set_estimate(15);
            border.set_estimate(hk::gen::kBorderReflect101);
            return;
        }
        if (apply_checked_in()) return;
        weights.compute_root();
        hk::sched::schedule_gabor_bank({output, bounded, conv, taps, o, x, y, n, c}, get_target(), knobs());
    }

private:
    Var o{"o"}, c{"c"}, x{"x"}, y{"y"}, n{"n"}, i{"i"}, j{"j"}, f{"f"};
    Func weights{"weights"}, bounded{"bounded"}, conv{"conv"};
    RDom taps;
};

}  // namespace

HALIDE_REGISTER_GENERATOR(GaborBank, hk_gabor_bank)

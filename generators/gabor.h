// The Gabor kernel (algorithm), one definition for every generator that needs it (the Gabor
// filter, the Gabor bank, the fused Gabor -> conv2d model). Matches OpenCV's getGaborKernel:
//   g(x, y) = exp(ex xr^2 + ey yr^2) * cos(cscale xr + psi),
//   xr = x cos(theta) + y sin(theta), yr = -x sin(theta) + y cos(theta),
// with the constants the runtime computes in double as OpenCV does (runtime/src/gabor_math):
//   ex = -1 / (2 sigma^2), ey = -gamma^2 / (2 sigma^2), cscale = 2 pi / lambda.
#pragma once
#include "Halide.h"

namespace hk::gen {

struct GaborConstants {
    Halide::Expr cos_theta, sin_theta, ex, ey, cscale, psi;
};

// The Gabor function at tap (i, j) of a (2 half_w + 1) x (2 half_h + 1) kernel indexed like
// filter2D's: tap (i, j) multiplies in(x + i - half_w, y + j - half_h). getGaborKernel stores
// g(x, y) mirrored, at (half_w - x, half_h - y), and filter2D correlates, hence gx = half_w - i.
// Returns the envelope and the phase: the real response is envelope cos(phase), the imaginary
// one envelope sin(phase).
struct GaborTap {
    Halide::Expr envelope, phase;
    Halide::Expr real() const { return envelope * Halide::cos(phase); }
    Halide::Expr imaginary() const { return envelope * Halide::sin(phase); }
};

inline GaborTap gabor_tap(Halide::Expr i, Halide::Expr j, Halide::Expr half_w, Halide::Expr half_h,
                          const GaborConstants &g) {
    Halide::Expr gx = Halide::cast<float>(half_w - i), gy = Halide::cast<float>(half_h - j);
    Halide::Expr xr = gx * g.cos_theta + gy * g.sin_theta;
    Halide::Expr yr = -gx * g.sin_theta + gy * g.cos_theta;
    return {Halide::exp(g.ex * xr * xr + g.ey * yr * yr), g.cscale * xr + g.psi};
}

}  // namespace hk::gen

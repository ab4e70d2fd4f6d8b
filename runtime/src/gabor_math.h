// getGaborKernel's arithmetic, shared by the Gabor filter, the Gabor bank and the fused
// gabor_conv model: the constants the pipelines take (float) and the kernel itself (double).
#pragma once
#include <vector>

#include "hk/filters.h"
#include "hk/status.h"

namespace hk::detail {

// getGaborKernel's constants in float (validated: finite).
struct GaborConstants {
    float cos_theta, sin_theta, ex, ey, cscale, psi;
};
Status gabor_constants(const GaborParams &p, GaborConstants *out);

// getGaborKernel in double, filter2D's orientation: K(hy - y, hx - x) = g(x, y). Sets *kw, *kh
// (the odd sizes) first.
std::vector<double> gabor_kernel_double(const GaborParams &p, int *kw, int *kh);

// The bank's (6, F) table of constants, in output-channel order (see GaborBankParams).
Status gabor_bank_table(const GaborBankParams &p, std::vector<float> *table);

}  // namespace hk::detail

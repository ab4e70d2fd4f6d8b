// hk::directional_derivative: a 3x3 stencil kernel built here, run by filter2d's pipeline.
#include <cmath>

#include "ops.h"
#include "validate.h"

namespace hk {

Status derivative_kernel(const DerivativeParams &p, float kernel[9]) {
    const char *op = "directional_derivative";
    if (Status s = detail::check_not_null("derivative_kernel", "kernel", kernel); !s.ok()) return s;
    if (!std::isfinite(p.theta)) return detail::invalid_argument("directional_derivative: theta must be a finite number");
    if (p.order != 1 && p.order != 2)
        return detail::invalid_argument("directional_derivative: order = " + std::to_string(p.order) +
                                        " must be 1 or 2");
    if (p.stencil == Stencil::scharr && p.order == 2)
        return detail::invalid_argument("directional_derivative: the Scharr stencil is first-order only (as in OpenCV)");
    if (Status s = detail::check_enum(op, "stencil", p.stencil); !s.ok()) return s;
    // Separable stencils, index -1, 0, 1: derivative along one axis, smoothing along the other.
    double d1[3] = {}, d2[3] = {1, -2, 1}, smooth[3] = {};  // set by the switch (stencil checked above)
    switch (p.stencil) {
    case Stencil::central: d1[0] = -0.5, d1[1] = 0, d1[2] = 0.5, smooth[0] = 0, smooth[1] = 1, smooth[2] = 0; break;
    case Stencil::sobel: d1[0] = -1, d1[1] = 0, d1[2] = 1, smooth[0] = 1, smooth[1] = 2, smooth[2] = 1; break;
    case Stencil::scharr: d1[0] = -1, d1[1] = 0, d1[2] = 1, smooth[0] = 3, smooth[1] = 10, smooth[2] = 3; break;
    }
    const double c = std::cos(p.theta), s = std::sin(p.theta);
    for (int j = 0; j < 3; j++)      // row (y)
        for (int i = 0; i < 3; i++) {  // column (x)
            double v;
            if (p.order == 1) {
                v = c * d1[i] * smooth[j] + s * smooth[i] * d1[j];
            } else {
                // Sobel's mixed term is d1 x d1 (OpenCV's Sobel(1, 1)); central's is (d1/2-scaled) likewise.
                v = c * c * d2[i] * smooth[j] + 2 * c * s * d1[i] * d1[j] + s * s * smooth[i] * d2[j];
            }
            kernel[j * 3 + i] = float(v);
        }
    return {};
}

template <typename T>
Status detail::plan_layer(const Shape &in, const DerivativeParams &p, Device device, Planned *plan) {
    float k[9];
    if (Status s = derivative_kernel(p, k); !s.ok()) return s;
    Filter2DParams f;
    f.kernel = k;
    f.kw = f.kh = 3;
    f.border = p.border;
    f.padding = p.padding;
    f.channels = p.channels;
    f.activation = p.activation;
    f.low_rank = LowRank::off;  // 3x3: nine taps are as cheap as any factorization
    return plan_kernel_filter<T>(in, f, device, /*own=*/true, plan, op_name(p));
}

template Status detail::plan_layer<float>(const Shape &, const DerivativeParams &, Device, Planned *);
template Status detail::plan_layer<uint8_t>(const Shape &, const DerivativeParams &, Device, Planned *);

Status directional_derivative(const ConstTensor &in, const Tensor &out, const DerivativeParams &p, Device d) {
    return detail::run_op(in, out, p, d);
}
Status directional_derivative(const ConstTensorU8 &in, const Tensor &out, const DerivativeParams &p, Device d) {
    return detail::run_op(in, out, p, d);
}

}  // namespace hk

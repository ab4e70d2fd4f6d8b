#include "gabor_math.h"

#include <cmath>
#include <sstream>

#include "internal.h"
#include "validate.h"

namespace hk {

namespace {

bool finite_all(std::initializer_list<double> v) {
    for (double d : v)
        if (!std::isfinite(d)) return false;
    return true;
}

std::string num(double v) {  // shortest readable form: 0, 1.5, 1e-30
    std::ostringstream o;
    o << v;
    return o.str();
}

// Every value finite and, where `positive`, > 0: "gabor_bank: lambdas[1] = 0 must be > 0".
Status check_values(const char *what, const std::vector<double> &v, bool positive) {
    for (size_t i = 0; i < v.size(); i++) {
        const std::string name = std::string("gabor_bank: ") + what + "[" + std::to_string(i) + "] = " + num(v[i]);
        if (!std::isfinite(v[i])) return detail::invalid_argument(name + " is not a finite number");
        if (positive && !(v[i] > 0)) return detail::invalid_argument(name + " must be > 0");
    }
    return {};
}

}  // namespace

Status detail::gabor_constants(const GaborParams &p, GaborConstants *out) {
    if (!finite_all({p.sigma, p.theta, p.lambda, p.gamma, p.psi}))
        return invalid_argument("gabor: sigma, theta, lambda, gamma and psi must be finite numbers");
    if (!(p.sigma > 0)) return invalid_argument("gabor: sigma = " + num(p.sigma) + " must be > 0");
    if (!(p.lambda > 0)) return invalid_argument("gabor: lambda = " + num(p.lambda) + " must be > 0");
    if (!(p.gamma > 0)) return invalid_argument("gabor: gamma = " + num(p.gamma) + " must be > 0");
    // getGaborKernel's constants, in double as OpenCV computes them; the pipeline takes floats.
    const double sigma_y = p.sigma / p.gamma;
    GaborConstants g{float(std::cos(p.theta)), float(std::sin(p.theta)), float(-0.5 / (p.sigma * p.sigma)),
                     float(-0.5 / (sigma_y * sigma_y)), float(2 * M_PI / p.lambda), float(p.psi)};
    if (!finite_all({g.ex, g.ey, g.cscale, g.psi})) {
        std::ostringstream o;
        o << "gabor: sigma = " << p.sigma << ", gamma = " << p.gamma << ", lambda = " << p.lambda
          << ", psi = " << p.psi << " overflow float arithmetic (sigma, sigma/gamma and lambda must be "
          << "above ~1e-19, psi below ~3e38)";
        return invalid_argument(o.str());
    }
    *out = g;
    return {};
}

std::vector<double> detail::gabor_kernel_double(const GaborParams &p, int *kw, int *kh) {
    const int hx = p.ksize_w / 2, hy = p.ksize_h / 2;
    *kw = 2 * hx + 1;
    *kh = 2 * hy + 1;
    std::vector<double> k(size_t(*kw) * *kh);
    const double sigma_y = p.sigma / p.gamma, ex = -0.5 / (p.sigma * p.sigma), ey = -0.5 / (sigma_y * sigma_y);
    const double c = std::cos(p.theta), s = std::sin(p.theta), cscale = 2 * M_PI / p.lambda;
    for (int y = -hy; y <= hy; y++)
        for (int x = -hx; x <= hx; x++) {
            const double xr = x * c + y * s, yr = -x * s + y * c;
            k[size_t(hy - y) * *kw + (hx - x)] = std::exp(ex * xr * xr + ey * yr * yr) * std::cos(cscale * xr + p.psi);
        }
    return k;
}

Status detail::gabor_bank_table(const GaborBankParams &p, std::vector<float> *table) {
    // Each list on its own first, so a message names the value the caller gave (a lambda of 0
    // would otherwise surface as its derived sigma).
    if (Status s = check_values("lambdas", p.lambdas, true); !s.ok()) return s;
    if (Status s = check_values("sigmas", p.sigmas, true); !s.ok()) return s;
    if (Status s = check_values("thetas", p.thetas, false); !s.ok()) return s;
    if (Status s = check_values("psis", p.psis, false); !s.ok()) return s;
    if (!std::isfinite(p.gamma) || !(p.gamma > 0))
        return invalid_argument("gabor_bank: gamma = " + num(p.gamma) + " must be a finite number > 0");
    const double imaginary_shift = p.response == GaborResponse::imaginary ? -M_PI / 2 : 0.0;
    for (size_t s = 0; s < p.lambdas.size(); s++)
        for (double theta : p.thetas)
            for (double psi : p.psis) {
                GaborParams g;
                g.ksize_w = p.ksize_w;
                g.ksize_h = p.ksize_h;
                g.lambda = p.lambdas[s];
                g.sigma = p.sigmas.empty() ? 0.56 * p.lambdas[s] : p.sigmas[s];
                g.theta = theta;
                g.gamma = p.gamma;
                g.psi = psi + imaginary_shift;
                GaborConstants c;
                if (Status st = gabor_constants(g, &c); !st.ok())
                    return {st.code(), "gabor_bank filter " + std::to_string(table->size() / 6) + ": " + st.message()};
                table->insert(table->end(), {c.cos_theta, c.sin_theta, c.ex, c.ey, c.cscale, c.psi});
            }
    return {};
}

Status gabor_kernel(const GaborParams &p, std::vector<float> *kernel, int *kw, int *kh) {
    if (kernel == nullptr || kw == nullptr || kh == nullptr)
        return detail::invalid_argument("gabor_kernel: kernel, kw and kh must not be null");
    if (Status s = detail::check_ksize("gabor_kernel", "ksize", p.ksize_w, p.ksize_h); !s.ok()) return s;
    detail::GaborConstants g;
    if (Status s = detail::gabor_constants(p, &g); !s.ok()) return s;
    return detail::guarded([&]() -> Status {
        const std::vector<double> k = detail::gabor_kernel_double(p, kw, kh);
        kernel->assign(k.begin(), k.end());
        return {};
    });
}

}  // namespace hk

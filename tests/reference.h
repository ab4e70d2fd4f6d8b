// Plain C++ references for the tests: straightforward loops, double accumulation, written
// from the definitions (OpenCV's documentation), sharing no code with the library.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "hk/hk.h"

namespace ref {

// A dense NHWC float tensor owning its memory.
struct Image {
    hk::Shape shape;
    std::vector<float> data;
    explicit Image(hk::Shape s, float fill = 0.f) : shape(s), data(size_t(s.elements()), fill) {}
    float &at(int64_t n, int64_t y, int64_t x, int64_t c) {
        return data[size_t(((n * shape.h + y) * shape.w + x) * shape.c + c)];
    }
    float at(int64_t n, int64_t y, int64_t x, int64_t c) const {
        return data[size_t(((n * shape.h + y) * shape.w + x) * shape.c + c)];
    }
    hk::Tensor view() { return hk::Tensor::dense(data.data(), shape); }
    hk::ConstTensor cview() const { return hk::ConstTensor::dense(data.data(), shape); }
};

// OpenCV's borderInterpolate; returns -1 for "constant zero".
inline int64_t border_index(int64_t p, int64_t len, hk::Border b) {
    if (p >= 0 && p < len) return p;
    switch (b) {
    case hk::Border::zero: return -1;
    case hk::Border::replicate: return p < 0 ? 0 : len - 1;
    case hk::Border::reflect101:
        if (len == 1) return 0;
        while (p < 0 || p >= len) {
            if (p < 0) p = -p;
            else p = 2 * (len - 1) - p;
        }
        return p;
    }
    return -1;
}

// A kernel as filter2D takes it: kernel[j * kw + i] multiplies in(x + i - ax, y + j - ay).
struct Kernel {
    int kw = 0, kh = 0, ax = 0, ay = 0;
    std::vector<double> w;
};

// getGaborKernel, from its documented formula, in double.
inline Kernel gabor_kernel(const hk::GaborParams &p) {
    Kernel k;
    const int hx = p.ksize_w / 2, hy = p.ksize_h / 2;
    k.kw = 2 * hx + 1;
    k.kh = 2 * hy + 1;
    k.ax = hx;
    k.ay = hy;
    k.w.resize(size_t(k.kw * k.kh));
    const double sx = p.sigma, sy = p.sigma / p.gamma;
    for (int y = -hy; y <= hy; y++) {
        for (int x = -hx; x <= hx; x++) {
            double xr = x * std::cos(p.theta) + y * std::sin(p.theta);
            double yr = -x * std::sin(p.theta) + y * std::cos(p.theta);
            double v = std::exp(-0.5 * (xr * xr / (sx * sx) + yr * yr / (sy * sy))) *
                       std::cos(2 * M_PI * xr / p.lambda + p.psi);
            k.w[size_t((hy - y) * k.kw + (hx - x))] = v;  // stored flipped, as OpenCV does
        }
    }
    return k;
}

inline Kernel box_kernel(const hk::BoxFilterParams &p) {
    Kernel k;
    k.kw = p.ksize_w;
    k.kh = p.ksize_h;
    k.ax = p.ksize_w / 2;
    k.ay = p.ksize_h / 2;
    double v = p.normalize ? 1.0 / (double(p.ksize_w) * p.ksize_h) : 1.0;
    k.w.assign(size_t(k.kw * k.kh), v);
    return k;
}

// Per-output value plus the magnitudes the error bounds of the tests need.
struct Filtered {
    Image value;
    Image abs_sum;    // sum_i |w_i x_i|
    Image abs_input;  // sum_i |x_i| over the window
    explicit Filtered(hk::Shape s) : value(s), abs_sum(s), abs_input(s) {}
};

// Correlation per channel (filter2D semantics), SAME or VALID.
inline Filtered filter2d(const Image &in, const Kernel &k, hk::Border border, hk::Padding padding) {
    const hk::Shape is = in.shape;
    const bool valid = padding == hk::Padding::valid;
    hk::Shape os = is;
    if (valid) {
        os.h = is.h - k.kh + 1;
        os.w = is.w - k.kw + 1;
    }
    Filtered out(os);
    for (int64_t n = 0; n < os.n; n++)
        for (int64_t y = 0; y < os.h; y++)
            for (int64_t x = 0; x < os.w; x++)
                for (int64_t c = 0; c < os.c; c++) {
                    const int64_t cy = valid ? y + k.ay : y, cx = valid ? x + k.ax : x;
                    double acc = 0, abs_acc = 0, abs_in = 0;
                    for (int j = 0; j < k.kh; j++) {
                        int64_t sy = border_index(cy + j - k.ay, is.h, border);
                        for (int i = 0; i < k.kw; i++) {
                            int64_t sx = border_index(cx + i - k.ax, is.w, border);
                            double v = (sy < 0 || sx < 0) ? 0.0 : in.at(n, sy, sx, c);
                            double w = k.w[size_t(j * k.kw + i)];
                            acc += w * v;
                            abs_acc += std::fabs(w * v);
                            abs_in += std::fabs(v);
                        }
                    }
                    out.value.at(n, y, x, c) = float(acc);
                    out.abs_sum.at(n, y, x, c) = float(abs_acc);
                    out.abs_input.at(n, y, x, c) = float(abs_in);
                }
    return out;
}

// Deterministic uniform values in [lo, hi].
inline Image random_image(hk::Shape s, uint32_t seed, float lo = -1.f, float hi = 1.f) {
    Image img(s);
    uint32_t state = seed * 2654435761u + 1u;
    for (float &v : img.data) {
        state = state * 1664525u + 1013904223u;
        v = lo + (hi - lo) * float(state >> 8) / float(1u << 24);
    }
    return img;
}

// TensorFlow's activation formulas in double, NaN propagating (as hk's activations do).
inline double activation(double v, hk::Activation k, double alpha) {
    if (std::isnan(v)) return v;
    switch (k) {
    case hk::Activation::none: return v;
    case hk::Activation::relu: return v > 0 ? v : 0;
    case hk::Activation::leaky_relu: return v >= 0 ? v : alpha * v;
    case hk::Activation::relu6: return std::min(std::max(v, 0.0), 6.0);
    case hk::Activation::sigmoid: return 1 / (1 + std::exp(-v));
    case hk::Activation::tanh: return std::tanh(v);
    case hk::Activation::gelu_erf: return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
    case hk::Activation::gelu_tanh:
        return 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
    }
    return v;
}

}  // namespace ref

// hk::TensorView: a non-owning view of caller memory in NHWC order (batch, height, width,
// channels); float32, or uint8 for the filters' inputs. Kernels read and write through it directly: no copy is needed.
#pragma once
#include <cstdint>

namespace hk {

// a * b, or INT64_MAX where that overflows: absurd shapes then fail validation with a message
// naming the shape instead of overflowing (undefined behaviour) while a view is built.
constexpr int64_t saturating_mul(int64_t a, int64_t b) {
    int64_t r = 0;
    return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

struct Shape {
    int64_t n = 0, h = 0, w = 0, c = 0;
    friend bool operator==(const Shape &a, const Shape &b) {
        return a.n == b.n && a.h == b.h && a.w == b.w && a.c == b.c;
    }
    friend bool operator!=(const Shape &a, const Shape &b) { return !(a == b); }
    int64_t elements() const { return saturating_mul(saturating_mul(n, h), saturating_mul(w, c)); }
};

template <typename T>
struct TensorView {
    T *data = nullptr;
    Shape shape;
    // Strides in elements, NHWC order. Channels must be contiguous (stride_c == 1);
    // the others may be anything positive that does not make distinct elements overlap
    // (e.g. a crop of a larger image), in inputs as in outputs. A view may span at most 2 GiB.
    int64_t stride_n = 0, stride_h = 0, stride_w = 0, stride_c = 1;

    // A packed tensor: stride_c = 1, stride_w = c, stride_h = w * c, stride_n = h * w * c.
    static TensorView dense(T *data, Shape s) {
        TensorView v;
        v.data = data;
        v.shape = s;
        v.stride_c = 1;
        v.stride_w = s.c;
        v.stride_h = saturating_mul(s.w, s.c);
        v.stride_n = saturating_mul(s.h, v.stride_h);
        return v;
    }

    T &at(int64_t n, int64_t y, int64_t x, int64_t c) const {
        return data[n * stride_n + y * stride_h + x * stride_w + c * stride_c];
    }

    // A mutable view converts to a read-only one.
    operator TensorView<const T>() const {
        TensorView<const T> v;
        v.data = data;
        v.shape = shape;
        v.stride_n = stride_n;
        v.stride_h = stride_h;
        v.stride_w = stride_w;
        v.stride_c = stride_c;
        return v;
    }
};

using Tensor = TensorView<float>;
using ConstTensor = TensorView<const float>;
using ConstTensorU8 = TensorView<const uint8_t>;  // 8-bit images, as they usually arrive

}  // namespace hk

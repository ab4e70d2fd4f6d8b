#include <algorithm>
#include <cstdint>
#include <limits>
#include <sstream>

#include "internal.h"

namespace hk::detail {

namespace {

constexpr int64_t kMaxExtent = std::numeric_limits<int32_t>::max();
// Halide indexes buffers with 32-bit offsets unless built with large_buffers (slower).
constexpr int64_t kMaxBytes = std::numeric_limits<int32_t>::max();

}  // namespace

std::string shape_str(const Shape &s) {
    std::ostringstream o;
    o << "[n=" << s.n << ", h=" << s.h << ", w=" << s.w << ", c=" << s.c << "]";
    return o.str();
}

HalideTensor::HalideTensor(const void *data,
                           std::initializer_list<std::pair<int64_t, int64_t>> extent_stride,
                           halide_type_t type) {
    int d = 0;
    for (const auto &[extent, stride] : extent_stride) dims[d++] = {0, int32_t(extent), int32_t(stride), 0};
    buf.host = static_cast<uint8_t *>(const_cast<void *>(data));
    buf.type = type;
    buf.dimensions = d;
    buf.dim = dims.data();
}

Status check_shape(const char *what, const Shape &s) {
    const int64_t ext[4] = {s.c, s.w, s.h, s.n};
    const char *ext_name[4] = {"c", "w", "h", "n"};
    for (int d = 0; d < 4; d++) {
        if (ext[d] < 1 || ext[d] > kMaxExtent) {
            std::ostringstream err;
            err << what << ": shape " << shape_str(s) << " has " << ext_name[d] << " = " << ext[d]
                << "; every dimension must be in [1, " << kMaxExtent << "]";
            return {StatusCode::invalid_argument, err.str()};
        }
    }
    return {};
}

Status check_dense_shape(const char *what, const Shape &s) {
    if (Status st = check_shape(what, s); !st.ok()) return st;
    // Only the shape matters here: the pointer stands in for memory not allocated yet.
    const int64_t stride_h = saturating_mul(s.w, s.c);  // extents up to 2^31 - 1: products overflow
    return check_tensor(what, &s, s, saturating_mul(s.h, stride_h), stride_h, s.c, 1, false, sizeof(float));
}

Status check_tensor(const char *what, const void *data, const Shape &s, int64_t stride_n,
                    int64_t stride_h, int64_t stride_w, int64_t stride_c, bool writable,
                    int64_t elem_bytes) {
    std::ostringstream err;
    if (data == nullptr) {
        err << what << ": data is null";
        return {StatusCode::invalid_argument, err.str()};
    }
    if (Status st = check_shape(what, s); !st.ok()) return st;
    const int64_t ext[4] = {s.c, s.w, s.h, s.n};
    if (stride_c != 1) {
        err << what << ": stride_c = " << stride_c << "; channels must be contiguous (stride_c == 1)";
        return {StatusCode::unsupported, err.str()};
    }
    const int64_t str[4] = {1, stride_w, stride_h, stride_n};
    const char *str_name[4] = {"stride_c", "stride_w", "stride_h", "stride_n"};
    for (int d = 1; d < 4; d++) {
        if (str[d] < 1) {
            err << what << ": " << str_name[d] << " = " << str[d] << " must be positive";
            return {StatusCode::invalid_argument, err.str()};
        }
    }
    // The span in bytes, with overflow checks, before the strides' own limit: a dense view of
    // an absurd shape has strides nobody set, so the shape is what the message must name.
    int64_t last = 0;
    for (int d = 0; d < 4; d++) {
        if (ext[d] > 1 && (ext[d] - 1) > (kMaxBytes / elem_bytes - last) / str[d]) {
            err << what << ": shape " << shape_str(s) << " with strides [n=" << stride_n << ", h=" << stride_h
                << ", w=" << stride_w << ", c=" << stride_c << "] spans more than 2 GiB; hkernels indexes "
                << "tensors with 32-bit offsets (split the batch or the image)";
            return {StatusCode::unsupported, err.str()};
        }
        last += (ext[d] - 1) * str[d];
    }
    for (int d = 1; d < 4; d++) {
        if (str[d] > kMaxExtent) {  // only where the extent is 1: the span check above holds otherwise
            err << what << ": " << str_name[d] << " = " << str[d] << " must be at most " << kMaxExtent;
            return {StatusCode::invalid_argument, err.str()};
        }
    }
    // Distinct elements never share memory iff, with dims sorted by stride, each stride is at
    // least the span of the dims inside it. tensor.h forbids overlap for inputs too: a kernel
    // may read an element through either index.
    int order[4] = {0, 1, 2, 3};
    std::sort(order, order + 4, [&](int a, int b) { return str[a] < str[b]; });
    int64_t span = 1;
    for (int k = 0; k < 4; k++) {
        const int d = order[k];
        if (ext[d] == 1) continue;
        if (str[d] < span) {
            err << what << ": strides [n=" << stride_n << ", h=" << stride_h << ", w=" << stride_w
                << ", c=" << stride_c << "] make distinct elements of shape " << shape_str(s) << " overlap; "
                << (writable ? "an output" : "a view") << " needs non-overlapping elements";
            return {StatusCode::invalid_argument, err.str()};
        }
        span = str[d] * ext[d];
    }
    return {};
}

Status check_output(const char *op, const Shape &in_shape, const Tensor &out, const Shape &expected_out) {
    if (Status s = check_tensor("output", out, true); !s.ok()) return with_op(op, s);
    if (out.shape == expected_out) return {};
    std::ostringstream o;
    o << op << ": output shape " << shape_str(out.shape) << " does not match the expected "
      << shape_str(expected_out) << " for input " << shape_str(in_shape);
    return {StatusCode::shape_mismatch, o.str()};
}

}  // namespace hk::detail

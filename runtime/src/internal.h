// Internal glue between the hk:: API and the generated Halide pipelines.
#pragma once
#include <array>
#include <climits>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "HalideRuntime.h"
#include "hk/device.h"
#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk::detail {

// Installs hkernels' Halide error handler (errors become Status, never abort) and the
// CPU-variant cap. Idempotent, thread-safe; every public entry point calls it first.
void init_runtime();

template <typename T>
constexpr halide_type_t halide_type() {
    if constexpr (sizeof(T) == 1) return halide_type_t(halide_type_uint, 8, 1);
    else return halide_type_t(halide_type_float, 32, 1);
}

// A halide_buffer_t over caller memory: up to 4 dims, each {extent, stride} innermost first.
// For NHWC tensors the dims are (c, x, y, n).
struct HalideTensor {
    halide_buffer_t buf{};
    std::array<halide_dimension_t, 4> dims{};
    HalideTensor(const void *data, std::initializer_list<std::pair<int64_t, int64_t>> extent_stride,
                 halide_type_t type = halide_type<float>());
    HalideTensor(const HalideTensor &) = delete;  // buf.dim points into this object
    HalideTensor &operator=(const HalideTensor &) = delete;
    template <typename T>
    explicit HalideTensor(const TensorView<T> &t)
        : HalideTensor(t.data,
                       {{t.shape.c, 1}, {t.shape.w, t.stride_w}, {t.shape.h, t.stride_h}, {t.shape.n, t.stride_n}},
                       halide_type<std::remove_const_t<T>>()) {}
    // Places output pixel (0, 0) at Halide coordinate (x0, y0) (VALID padding of filters).
    void set_origin(int x0, int y0) {
        dims[1].min = x0;
        dims[2].min = y0;
    }
};

std::string shape_str(const Shape &s);

// Every dimension in [1, 2^31 - 1].
Status check_shape(const char *what, const Shape &s);

// A dense float tensor of this shape could be allocated and indexed (32-bit offsets).
Status check_dense_shape(const char *what, const Shape &s);

// Checks one tensor: non-null, positive sizes that fit Halide's 32-bit indexing (else
// unsupported, naming the shape), stride_c == 1, positive strides, no two elements at one
// address. `writable` only words the message (an output or an input).
Status check_tensor(const char *what, const void *data, const Shape &s, int64_t stride_n,
                    int64_t stride_h, int64_t stride_w, int64_t stride_c, bool writable,
                    int64_t elem_bytes);
template <typename T>
Status check_tensor(const char *what, const TensorView<T> &t, bool writable) {
    return check_tensor(what, t.data, t.shape, t.stride_n, t.stride_h, t.stride_w, t.stride_c,
                        writable, sizeof(T));
}

// First and last byte a tensor touches.
template <typename T>
std::pair<uintptr_t, uintptr_t> byte_range(const TensorView<T> &t) {
    const uintptr_t first = reinterpret_cast<uintptr_t>(t.data);
    const int64_t span = (t.shape.n - 1) * t.stride_n + (t.shape.h - 1) * t.stride_h +
                         (t.shape.w - 1) * t.stride_w + (t.shape.c - 1) * t.stride_c;
    return {first, first + uintptr_t(span + 1) * sizeof(T) - 1};
}

// Rejects outputs whose memory overlaps the input's (the filters read neighbours). Compares
// byte ranges, so interleaved views of one buffer count as overlapping.
template <typename T>
Status check_no_alias(const TensorView<const T> &in, const Tensor &out) {
    auto a = byte_range(in);
    auto b = byte_range(out);
    if (a.first <= b.second && b.first <= a.second) {
        return {StatusCode::invalid_argument,
                "output memory overlaps the input; filters read neighbouring pixels, so they "
                "cannot run in place (use a separate output tensor)"};
    }
    return {};
}

// Validates a call's input and output tensors: both well-formed, the output of
// `expected_out` shape and not overlapping the input (the device is the plan's, checked there).
// `allow_in_place`: the output may be the very same view as the input (elementwise ops).
Status check_output(const char *op, const Shape &in_shape, const Tensor &out, const Shape &expected_out);
// `s` with "op: " in front of its message (tensor checks name the tensor, not the op).
inline Status with_op(const char *op, Status s) {
    return s.ok() ? s : Status(s.code(), std::string(op) + ": " + s.message());
}

template <typename T>
Status check_io(const char *op, const TensorView<const T> &in, const Tensor &out,
                const Shape &expected_out, bool allow_in_place = false) {
    if (Status s = check_tensor("input", in, false); !s.ok()) return with_op(op, s);
    if (Status s = check_output(op, in.shape, out, expected_out); !s.ok()) return s;
    const bool same_view = static_cast<const void *>(in.data) == static_cast<const void *>(out.data) &&
                           in.stride_n == out.stride_n && in.stride_h == out.stride_h &&
                           in.stride_w == out.stride_w && sizeof(T) == sizeof(float);
    if (allow_in_place && same_view) return {};
    return with_op(op, check_no_alias(in, out));
}

// The user_context of one call: Halide's error handler appends to it, from whichever thread
// raised the error.
// Each distinct message is kept once (every worker thread of a failing pipeline reports the
// same error), with the number of times it came.
struct CallContext {
    std::vector<std::pair<std::string, int>> errors;
    void add(const std::string &message);
    std::string error() const;  // "msg" or "msg (reported 16 times)", joined by "; "
};

// A validated op, ready to run on any input and output buffers of the planned shapes: what the
// one-shot API calls and hk::Sequential's layers share.
struct Planned {
    Shape out;
    Device device = Device::cpu;     // resolved (never automatic)
    int origin_x = 0, origin_y = 0;  // the output's Halide origin (VALID filters)
    bool fold_x_into_c = false;      // elementwise: packed rows may be one contiguous dimension
    std::vector<std::unique_ptr<HalideTensor>> params;  // extra pipeline inputs (weights, kernels)
    static constexpr size_t kMaxParams = 4;             // today's most: 2 (conv2d, low-rank passes)
    std::vector<std::vector<float>> storage;            // memory of params the plan owns
    std::function<int(void *uc, halide_buffer_t *in, halide_buffer_t *out)> invoke;
    const char *method = "direct";  // filters: "direct", "low_rank" or "fft" (hk::filter_method)

    // A parameter buffer over `data` (copied into the plan when `own`).
    halide_buffer_t *add_param(const float *data, size_t count, bool own,
                               std::initializer_list<std::pair<int64_t, int64_t>> dims) {
        if (own) {
            storage.emplace_back(data, data + count);
            data = storage.back().data();
        }
        params.push_back(std::make_unique<HalideTensor>(data, dims));
        return &params.back()->buf;
    }
};

// Runs `pipeline(void *user_context)` (a generated function, bound to its other arguments) on
// `device`: marks the inputs host-dirty for GPUs, copies the output back, frees device memory,
// and turns a Halide error into a Status naming `op` and the device.
// `inputs`: `count` tensors (the call's input and the plan's parameters).
Status finish_call(const char *op, Device device, int rc, CallContext &ctx, HalideTensor *const *inputs,
                   size_t count, HalideTensor &out);

template <typename F>
Status run_pipeline(const char *op, Device device, HalideTensor *const *inputs, size_t count, HalideTensor &out,
                    F pipeline) {
    CallContext ctx;
    if (device != Device::cpu)
        for (size_t i = 0; i < count; i++) inputs[i]->buf.set_host_dirty(true);
    const int rc = pipeline(static_cast<void *>(&ctx));
    return finish_call(op, device, rc, ctx, inputs, count, out);
}

// Runs a plan once on caller tensors (the one-shot API): the plan's parameters go to the
// device and come back freed, like the input.
template <typename T>
Status run_planned(const char *op, Planned &plan, const TensorView<const T> &in, const Tensor &out) {
    HalideTensor hin(in), hout(out);
    hout.set_origin(plan.origin_x, plan.origin_y);
    if (plan.fold_x_into_c && in.stride_w == in.shape.c && out.stride_w == out.shape.c &&
        in.shape.w * in.shape.c <= INT32_MAX) {
        for (HalideTensor *t : {&hin, &hout}) {
            t->dims[0].extent = int32_t(in.shape.w * in.shape.c);
            t->dims[1].extent = 1;
        }
    }
    // On the stack: a one-shot call allocates nothing on the heap to run its plan.
    std::array<HalideTensor *, 1 + Planned::kMaxParams> inputs{&hin};
    if (plan.params.size() > Planned::kMaxParams)
        return {StatusCode::runtime_error, std::string(op) + ": internal: the plan has too many parameter buffers"};
    size_t count = 1;
    for (auto &p : plan.params) inputs[count++] = p.get();
    return run_pipeline(op, plan.device, inputs.data(), count, hout,
                        [&](void *uc) { return plan.invoke(uc, &hin.buf, &hout.buf); });
}

// Runs an API call's body; an exception (an allocation failing) becomes a Status, since no
// hkernels call may throw.
template <typename F>
Status guarded(F body) {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return {StatusCode::runtime_error, "out of host memory"};
    } catch (const std::exception &e) {
        return {StatusCode::runtime_error, std::string("unexpected error: ") + e.what()};
    }
}

}  // namespace hk::detail

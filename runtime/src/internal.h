// Internal glue between the hk:: API and the generated Halide pipelines.
#pragma once
#include <array>
#include <string>

#include "HalideRuntime.h"
#include "hk/device.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk::detail {

// Installs hkernels' Halide error handler (errors become Status, never abort) and the
// CPU-variant cap. Idempotent, thread-safe; every public entry point calls it first.
void init_runtime();

// A halide_buffer_t over a TensorView, dims (c, x, y, n) as Halide sees NHWC memory.
struct HalideTensor {
    halide_buffer_t buf{};
    std::array<halide_dimension_t, 4> dims{};
    HalideTensor(const void *data, const Shape &s, int64_t stride_n, int64_t stride_h,
                 int64_t stride_w);
    template <typename T>
    explicit HalideTensor(const TensorView<T> &t)
        : HalideTensor(t.data, t.shape, t.stride_n, t.stride_h, t.stride_w) {}
    // Places output pixel (0, 0) at Halide coordinate (x0, y0) (VALID padding).
    void set_origin(int x0, int y0) {
        dims[1].min = x0;
        dims[2].min = y0;
    }
};

// Checks one tensor: non-null, positive sizes that fit Halide's 32-bit indexing, stride_c == 1,
// positive strides; `writable` also rejects layouts where distinct elements overlap.
Status check_tensor(const char *what, const void *data, const Shape &s, int64_t stride_n,
                    int64_t stride_h, int64_t stride_w, int64_t stride_c, bool writable);
template <typename T>
Status check_tensor(const char *what, const TensorView<T> &t, bool writable) {
    return check_tensor(what, t.data, t.shape, t.stride_n, t.stride_h, t.stride_w, t.stride_c,
                        writable);
}

// Rejects outputs whose memory overlaps the input's (the filters read neighbours).
Status check_no_alias(const ConstTensor &in, const Tensor &out);

// Runs `pipeline` (a generated function, already bound to its arguments) on `device`:
// marks the input as host-dirty for GPUs, copies the output back, frees device memory,
// and turns a Halide error into a Status naming `op` and the device.
template <typename F>
Status run_pipeline(const char *op, Device device, HalideTensor &in, HalideTensor &out, F pipeline);

// Implementation detail of run_pipeline.
void begin_call();
Status finish_call(const char *op, Device device, int rc, halide_buffer_t *in, halide_buffer_t *out);

template <typename F>
Status run_pipeline(const char *op, Device device, HalideTensor &in, HalideTensor &out, F pipeline) {
    begin_call();
    if (device != Device::cpu) in.buf.set_host_dirty(true);
    int rc = pipeline(&in.buf, &out.buf);
    return finish_call(op, device, rc, &in.buf, &out.buf);
}

}  // namespace hk::detail

// The ops as plans: one overload set, plan_layer, turns an op's parameters and an input shape
// into a validated detail::Planned. The one-shot calls (run_op) and hk::Sequential's layers
// both run ops through it, so an op is validated and bound to its pipeline in one place.
#pragma once
#include <vector>

#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/models.h"
#include "internal.h"
#include "low_rank.h"

namespace hk::detail {

// ---- plan_layer: T is the input's element type (float, or uint8_t for the filters) -----------
// Pointers in the params (kernels, weights, bias) are borrowed: they must outlive the plan.
template <typename T = float> Status plan_layer(const Shape &in, const GaborParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const GaborBankParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const BoxFilterParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const Filter2DParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const SeparableParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const DerivativeParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const ActivationParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const Pool2DParams &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const Conv2DLayer &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const PackedConv2DLayer &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const GaborConvModel &p, Device d, Planned *plan);
template <typename T = float> Status plan_layer(const Shape &in, const BoxPoolModel &p, Device d, Planned *plan);

// The op's name in messages, in the one-shot calls and in Sequential's layers alike.
constexpr const char *op_name(const GaborParams &) { return "gabor"; }
constexpr const char *op_name(const GaborBankParams &) { return "gabor_bank"; }
constexpr const char *op_name(const BoxFilterParams &) { return "box_filter"; }
constexpr const char *op_name(const Filter2DParams &) { return "filter2d"; }
constexpr const char *op_name(const SeparableParams &) { return "sep_filter2d"; }
constexpr const char *op_name(const DerivativeParams &) { return "directional_derivative"; }
constexpr const char *op_name(const ActivationParams &) { return "activation"; }
constexpr const char *op_name(const Pool2DParams &) { return "pool2d"; }
constexpr const char *op_name(const Conv2DLayer &) { return "conv2d"; }
constexpr const char *op_name(const PackedConv2DLayer &) { return "conv2d"; }
constexpr const char *op_name(const GaborConvModel &) { return "gabor_conv"; }
constexpr const char *op_name(const BoxPoolModel &) { return "box_pool"; }

// A one-shot call: guard (nothing throws out), plan on the input's shape, check the tensors,
// run. `allow_in_place`: out may be the very view of in (elementwise ops).
template <typename T, typename Params>
Status run_op(const TensorView<const T> &in, const Tensor &out, const Params &p, Device device,
              bool allow_in_place = false) {
    const char *op = op_name(p);
    return guarded([&]() -> Status {
        init_runtime();
        // The input's shape first, named with the op as output_shape names it.
        if (Status s = check_shape("input", in.shape); !s.ok()) return with_op(op, s);
        Planned plan;
        if (Status s = plan_layer<T>(in.shape, p, device, &plan); !s.ok()) return s;
        if (Status s = check_io(op, in, out, plan.out, allow_in_place); !s.ok()) return s;
        return run_planned(op, plan, in, out);
    });
}

// ---- Pieces the plans share ----------------------------------------------------------------

// A filter's output shape for `in`, unchecked: VALID may leave sides <= 0 (check_filter_shapes
// reports it).
Shape filter_output_shape(const Shape &in, const GaborParams &p);
Shape filter_output_shape(const Shape &in, const GaborBankParams &p);
Shape filter_output_shape(const Shape &in, const BoxFilterParams &p);
Shape filter_output_shape(const Shape &in, const Filter2DParams &p);
Shape filter_output_shape(const Shape &in, const SeparableParams &p);
Shape filter_output_shape(const Shape &in, const DerivativeParams &p);

// The pipeline for input type T: the float32 or the uint8 library of a kernel.
template <typename T, typename F32, typename U8>
auto pick(const F32 &f32, const U8 &u8, Device d) {
    if constexpr (sizeof(T) == 1) return u8.get(d);
    else return f32.get(d);
}

// filter2d's pipeline on any kernel, under the name `op` (filter2d, or an op built on it).
// `own`: copy the kernel into the plan (callers whose kernel is a temporary).
template <typename T>
Status plan_kernel_filter(const Shape &in, const Filter2DParams &p, Device d, bool own, Planned *plan,
                          const char *op);

// `terms` separable passes: 2D kernel K(j, i) = sum_r col[j + kh r] row[i + kw r], anchored at
// (ax, ay). The device, output shape and checks are the caller's.
struct SeparablePasses {
    const float *row;
    int kw;
    const float *col;
    int kh;
    int terms, ax, ay;
};
template <typename T>
void plan_separable_passes(const SeparablePasses &k, Border border, Padding padding, ChannelMode channels,
                           const ActivationParams &act, bool own, Planned *plan);

// A factorization of the kw x kh kernel worth running instead of the direct filter, or rank 0.
LowRankKernel worthwhile_low_rank(const std::vector<double> &kernel, int kw, int kh);

// conv2d / pooling output shape and the (left, top) padding TensorFlow's rules give; `op`
// names the caller in messages. conv2d_window also checks what a run needs: weights data and
// the activation.
struct WindowPlan {
    Shape out;
    int pad_left = 0, pad_top = 0;
    bool windows_inside = false;  // pooling: every window lies inside the input (no padding read)
};
Status conv2d_window(const char *op, const Shape &in, const FilterView &w, const Conv2DParams &p, WindowPlan *plan);
Status pool2d_window(const char *op, const Shape &in, const Pool2DParams &p, WindowPlan *plan);

// conv2d weights in the layout the kernels read (hk::PackedConv2DWeights): HWIO whose (ky, kx, i)
// rows of out_channels floats start row_stride floats apart, on 64-byte boundaries.
struct ConvWeights {
    FilterView w;                 // w.data: the first row
    int64_t row_stride = 0;       // packed_conv_row_floats(out_channels) (validate.h), or O if borrowed
    const float *bias = nullptr;  // out_channels floats (zeros for a layer without bias)
    std::vector<float> memory;    // what w.data and bias point into, unless borrowed

    // A copy would point into the original's memory; a move keeps the vector's buffer.
    ConvWeights() = default;
    ConvWeights(const ConvWeights &) = delete;
    ConvWeights &operator=(const ConvWeights &) = delete;
    ConvWeights(ConvWeights &&) = default;
    ConvWeights &operator=(ConvWeights &&) = default;
};

// Packs checked weights and bias (null: zeros) into *out. `may_borrow`: point at the caller's
// weights where they are in the layout already (a one-shot call: they outlive it), else copy.
void pack_conv_weights(const FilterView &w, const float *bias, bool may_borrow, ConvWeights *out);

// hk::PackedConv2DWeights' packed memory (null for an empty object).
struct PackedConvAccess {
    static const ConvWeights *get(const PackedConv2DWeights &p) { return p.packed_.get(); }
};

// conv2d's part of a plan (conv2d's, and gabor_conv's after its Gabor stage): the window, the
// device, and the packed weights and bias as plan parameters (borrowed: `w` outlives the plan).
struct ConvPlan {
    WindowPlan window;
    halide_buffer_t *weights = nullptr, *bias = nullptr;
};
Status plan_conv(const char *op, const Shape &in, const ConvWeights &w, const Conv2DParams &p, Device device,
                 Planned *plan, ConvPlan *conv);
// The same on weights as the caller gives them: checked, then packed into the plan (or borrowed).
Status plan_conv(const char *op, const Shape &in, const FilterView &w, const float *bias, const Conv2DParams &p,
                 Device device, Planned *plan, ConvPlan *conv);

}  // namespace hk::detail

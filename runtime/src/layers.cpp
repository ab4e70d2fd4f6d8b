// hk::activation, hk::pool2d, hk::conv2d as plans (see ops.h), and their one-shot entry points.
// Their output shapes and pads come from window.cpp.
#include <vector>

#include "hk/layers.h"
#include "hk_kernel_table.h"  // generated: detail::kernels::<kernel>
#include "ops.h"
#include "validate.h"

namespace hk {

template <typename T>
Status detail::plan_layer(const Shape &in, const ActivationParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    if (Status s = check_activation(op, p); !s.ok()) return s;
    if (Status s = check_shape("input", in); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan->out = in;
    plan->fold_x_into_c = true;  // elementwise: packed rows are one contiguous dimension
    auto fn = kernels::activation.get(plan->device);
    const int kind = int(p.kind);
    const float alpha = p.alpha;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) { return fn(uc, i, kind, alpha, o); };
    return {};
}

template <typename T>
Status detail::plan_layer(const Shape &in, const Pool2DParams &p, Device device, Planned *plan) {
    const char *op = op_name(p);
    WindowPlan w;
    if (Status s = pool2d_window(op, in, p, &w); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan->out = w.out;
    auto fn = kernels::pooling.get(plan->device);
    const Pool2DParams q = p;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, int(q.kind), q.window_w, q.window_h, q.stride_w, q.stride_h, w.pad_left, w.pad_top,
                  q.count_include_pad, w.windows_inside, o);
    };
    return {};
}

Status detail::plan_conv(const char *op, const Shape &in, const FilterView &w, const float *bias,
                         const Conv2DParams &p, Device device, Planned *plan, ConvPlan *conv) {
    if (Status s = conv2d_window(op, in, w, p, &conv->window); !s.ok()) return s;
    if (Status s = resolve_device(op, device, &plan->device); !s.ok()) return s;
    plan->out = conv->window.out;
    const int64_t O = w.out_channels, I = w.in_channels;
    conv->weights = plan->add_param(w.data, size_t(w.kh) * w.kw * I * O, /*own=*/false,
                                    {{O, 1}, {I, O}, {w.kw, I * O}, {w.kh, w.kw * I * O}});
    const std::vector<float> zeros(bias ? 0 : size_t(O), 0.0f);
    conv->bias = plan->add_param(bias ? bias : zeros.data(), size_t(O), /*own=*/!bias, {{O, 1}});
    return {};
}

template <typename T>
Status detail::plan_layer(const Shape &in, const Conv2DLayer &layer, Device device, Planned *plan) {
    ConvPlan c;
    if (Status s = plan_conv(op_name(layer), in, layer.weights, layer.bias, layer.params, device, plan, &c); !s.ok())
        return s;
    auto fn = kernels::conv2d.get(plan->device);
    const Conv2DParams q = layer.params;
    plan->invoke = [=](void *uc, halide_buffer_t *i, halide_buffer_t *o) {
        return fn(uc, i, c.weights, c.bias, q.stride_w, q.stride_h, q.dilation_w, q.dilation_h, c.window.pad_left,
                  c.window.pad_top, q.groups, int(q.activation.kind), q.activation.alpha, o);
    };
    return {};
}

template Status detail::plan_layer<float>(const Shape &, const ActivationParams &, Device, Planned *);
template Status detail::plan_layer<float>(const Shape &, const Pool2DParams &, Device, Planned *);
template Status detail::plan_layer<float>(const Shape &, const Conv2DLayer &, Device, Planned *);

Status activation(const ConstTensor &in, const Tensor &out, const ActivationParams &p, Device device) {
    return detail::run_op(in, out, p, device, /*allow_in_place=*/true);
}
Status pool2d(const ConstTensor &in, const Tensor &out, const Pool2DParams &p, Device device) {
    return detail::run_op(in, out, p, device);
}
Status conv2d(const ConstTensor &in, const FilterView &weights, const float *bias, const Tensor &out,
              const Conv2DParams &p, Device device) {
    return detail::run_op(in, out, Conv2DLayer{weights, bias, p}, device);
}

}  // namespace hk

// Every op's output shape in one form, Status output_shape(in, params, &out), found by the
// plan a run would make on the CPU: it fails exactly when that run would, with its message.
#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/models.h"
#include "ops.h"
#include "validate.h"

namespace hk {

namespace {

template <typename Params>
Status planned_shape(const Shape &in, const Params &p, Shape *out) {
    const char *op = detail::op_name(p);
    return detail::guarded([&]() -> Status {
        if (Status s = detail::check_not_null(op, "output_shape's out", out); !s.ok()) return s;
        if (Status s = detail::check_shape("input", in); !s.ok()) return detail::with_op(op, s);
        detail::Planned plan;
        if (Status s = detail::plan_layer<float>(in, p, Device::cpu, &plan); !s.ok()) return s;
        *out = plan.out;
        return {};
    });
}

}  // namespace

Status output_shape(const Shape &in, const GaborParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const GaborBankParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const BoxFilterParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const Filter2DParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const SeparableParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const DerivativeParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const ActivationParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const Pool2DParams &p, Shape *out) { return planned_shape(in, p, out); }
Status output_shape(const Shape &in, const Conv2DLayer &l, Shape *out) { return planned_shape(in, l, out); }
Status output_shape(const Shape &in, const PackedConv2DLayer &l, Shape *out) { return planned_shape(in, l, out); }
// The models' are in models.cpp: their stages' shapes, whether fused or not.

}  // namespace hk

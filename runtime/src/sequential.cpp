// hk::Sequential: a list of op plans run back to back on buffers allocated once.
#include "hk/sequential.h"

#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "internal.h"
#include "ops.h"
#include "validate.h"

namespace hk {

namespace {

using detail::HalideTensor;
using detail::Planned;

// The caller memory a layer's params point to, copied at add() time ("copy hooks", one per
// params type that points anywhere): the copy repoints the params at `copies`. A layer whose
// sizes are absurd fails before that memory is read; build() then reports why.
using Copies = std::vector<std::vector<float>>;

const float *copy_into(Copies *copies, const float *data, size_t n) {
    if (data == nullptr) return nullptr;  // the plan says why
    copies->emplace_back(data, data + n);
    return copies->back().data();
}

template <typename Params>
Status copy_caller_memory(Params *, Copies *) {  // params without pointers
    return {};
}

Status copy_caller_memory(Filter2DParams *p, Copies *copies) {
    if (Status s = detail::check_ksize(detail::op_name(*p), "ksize", p->kw, p->kh); !s.ok()) return s;
    p->kernel = copy_into(copies, p->kernel, size_t(p->kw) * p->kh);
    return {};
}

Status copy_caller_memory(SeparableParams *p, Copies *copies) {
    if (Status s = detail::check_ksize(detail::op_name(*p), "ksize", p->kw, p->kh); !s.ok()) return s;
    p->kernel_x = copy_into(copies, p->kernel_x, size_t(p->kw));
    p->kernel_y = copy_into(copies, p->kernel_y, size_t(p->kh));
    return {};
}

Status copy_conv_weights(const char *op, FilterView *w, const float **bias, Copies *copies) {
    if (w->data == nullptr) return {};  // the plan says why
    if (Status s = detail::check_conv_weights(op, *w); !s.ok()) return s;
    w->data = copy_into(copies, w->data, size_t(w->kh) * w->kw * w->in_channels * w->out_channels);
    *bias = copy_into(copies, *bias, size_t(w->out_channels));
    return {};
}

Status copy_caller_memory(Conv2DLayer *p, Copies *copies) {
    return copy_conv_weights(detail::op_name(*p), &p->weights, &p->bias, copies);
}

Status copy_caller_memory(GaborConvModel *m, Copies *copies) {
    return copy_conv_weights(detail::op_name(*m), &m->weights, &m->bias, copies);
}

struct Layer {
    const char *name;
    std::function<Status(const Shape &, Device, Planned *)> plan;
};

template <typename Params>
Layer make_layer(const Params &p) {
    // Shared, never copied: the params point into `copies`.
    struct Stored {
        Params params;
        Copies copies;
    };
    auto stored = std::make_shared<Stored>();
    stored->params = p;
    const Status copied = copy_caller_memory(&stored->params, &stored->copies);
    if (!copied.ok()) return {detail::op_name(p), [copied](const Shape &, Device, Planned *) { return copied; }};
    // The plan borrows the stored copies: they live as long as the layer, which outlives its plans.
    return {detail::op_name(p), [stored](const Shape &in, Device d, Planned *plan) {
                return detail::plan_layer(in, stored->params, d, plan);
            }};
}

}  // namespace

struct Sequential::Impl {
    Shape input_shape;
    Device device;
    std::vector<Layer> layers;
    bool built = false;
    bool params_on_device = false;
    std::vector<Planned> plans;
    std::vector<std::vector<float>> storage;                 // intermediates' host memory
    std::vector<std::unique_ptr<HalideTensor>> intermediates;  // output of layer i, i < n - 1
    std::mutex run_mutex;

    ~Impl() { release_device(); }

    // Device memory that outlives a run: the intermediates and the parameters.
    void release_device() {
        for (auto &t : intermediates) halide_device_free(nullptr, &t->buf);
        for (auto &p : plans)
            for (auto &t : p.params) halide_device_free(nullptr, &t->buf);
        params_on_device = false;
    }
};

Sequential::Sequential(const Shape &input_shape, Device device) : impl_(std::make_unique<Impl>()) {
    impl_->input_shape = input_shape;
    impl_->device = device;
}

Sequential::~Sequential() = default;

template <typename LayerParams>
Sequential &Sequential::add(const LayerParams &layer) {
    impl_->layers.push_back(make_layer(layer));
    impl_->built = false;
    return *this;
}

template Sequential &Sequential::add(const GaborParams &);
template Sequential &Sequential::add(const GaborBankParams &);
template Sequential &Sequential::add(const BoxFilterParams &);
template Sequential &Sequential::add(const Filter2DParams &);
template Sequential &Sequential::add(const SeparableParams &);
template Sequential &Sequential::add(const DerivativeParams &);
template Sequential &Sequential::add(const ActivationParams &);
template Sequential &Sequential::add(const Pool2DParams &);
template Sequential &Sequential::add(const Conv2DLayer &);
template Sequential &Sequential::add(const PackedConv2DLayer &);
template Sequential &Sequential::add(const GaborConvModel &);
template Sequential &Sequential::add(const BoxPoolModel &);

Status Sequential::build() {
    return detail::guarded([&]() -> Status {
        detail::init_runtime();
        Impl &m = *impl_;
        std::lock_guard<std::mutex> lock(m.run_mutex);
        m.release_device();
        m.plans.clear();
        m.intermediates.clear();
        m.storage.clear();
        m.built = false;
        if (m.layers.empty()) return {StatusCode::invalid_argument, "Sequential: no layers to build"};
        if (Status s = detail::check_dense_shape("Sequential input", m.input_shape); !s.ok()) return s;
        Shape shape = m.input_shape;
        for (size_t i = 0; i < m.layers.size(); i++) {
            Planned plan;
            if (Status s = m.layers[i].plan(shape, m.device, &plan); !s.ok()) {
                std::ostringstream o;
                o << "Sequential layer " << i + 1 << " (" << m.layers[i].name << ") on input "
                  << detail::shape_str(shape) << ": " << s.message();
                return {s.code(), o.str()};
            }
            shape = plan.out;
            m.plans.push_back(std::move(plan));
        }
        // Every layer got the same device: the one `automatic` resolves to.
        for (size_t i = 0; i + 1 < m.plans.size(); i++) {
            const Shape &s = m.plans[i].out;
            // An intermediate must fit Halide's 32-bit indexing like any tensor (a Gabor bank
            // multiplies channels): check before allocating it.
            if (Status st = detail::check_dense_shape("intermediate", s); !st.ok()) {
                std::ostringstream o;
                o << "Sequential layer " << i + 1 << " (" << m.layers[i].name << ") output: " << st.message();
                return {st.code(), o.str()};
            }
            m.storage.emplace_back(size_t(s.elements()));
            m.intermediates.push_back(std::make_unique<HalideTensor>(Tensor::dense(m.storage.back().data(), s)));
        }
        m.built = true;
        return {};
    });
}

bool Sequential::built() const { return impl_->built; }
size_t Sequential::size() const { return impl_->layers.size(); }
Shape Sequential::output_shape() const { return impl_->built ? impl_->plans.back().out : Shape{}; }

Status Sequential::run(const ConstTensor &in, const Tensor &out) {
    return detail::guarded([&]() -> Status {
        Impl &m = *impl_;
        std::lock_guard<std::mutex> lock(m.run_mutex);  // runs of one model share its buffers
        if (!m.built) return {StatusCode::invalid_argument, "Sequential: run() before a successful build()"};
        if (Status s = detail::check_tensor("input", in, false); !s.ok()) return detail::with_op("Sequential", s);
        if (in.shape != m.input_shape) {
            return {StatusCode::shape_mismatch, "Sequential: input " + detail::shape_str(in.shape) +
                                                    " but the model was built for " + detail::shape_str(m.input_shape)};
        }
        const Device device = m.plans.front().device;
        if (Status s = detail::check_io("Sequential", in, out, m.plans.back().out); !s.ok()) return s;

        detail::CallContext ctx;
        HalideTensor hin(in), hout(out);
        const bool gpu = device != Device::cpu;
        if (gpu) {
            hin.buf.set_host_dirty(true);
            if (!m.params_on_device)  // parameters go to the device once, then stay
                for (auto &p : m.plans)
                    for (auto &t : p.params) t->buf.set_host_dirty(true);
        }
        int rc = 0;
        size_t failed = 0;
        HalideTensor *cur = &hin;
        for (size_t i = 0; i < m.plans.size() && rc == 0; i++) {
            Planned &plan = m.plans[i];
            HalideTensor *next = i + 1 < m.plans.size() ? m.intermediates[i].get() : &hout;
            cur->set_origin(0, 0);  // an input starts at (0, 0), whatever it was as an output
            next->set_origin(plan.origin_x, plan.origin_y);
            rc = plan.invoke(&ctx, &cur->buf, &next->buf);
            failed = i;
            cur = next;
        }
        m.params_on_device = gpu && rc == 0;
        if (rc == 0 && gpu) rc = halide_copy_to_host(&ctx, &hout.buf);
        if (gpu) {  // the caller's memory must not stay attached to device allocations
            halide_device_free(&ctx, &hin.buf);
            halide_device_free(&ctx, &hout.buf);
        }
        if (rc == 0) return {};
        std::ostringstream o;
        o << "Sequential layer " << failed + 1 << " (" << m.layers[failed].name << ") on " << to_string(device)
          << " failed (Halide error " << rc << ")";
        if (!ctx.errors.empty()) o << ": " << ctx.error();
        return {StatusCode::runtime_error, o.str()};
    });
}

}  // namespace hk

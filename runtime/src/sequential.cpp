// hk::Sequential: a list of op plans run back to back on buffers allocated once.
#include "hk/sequential.h"

#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "internal.h"

namespace hk {

namespace {

using detail::HalideTensor;
using detail::Planned;
using Planner = std::function<Status(const Shape &, Device, Planned *)>;

struct Layer {
    std::string name;
    Planner planner;
};

// A layer whose parameters could not even be copied: build() reports why.
Planner failing(Status s) {
    return [s](const Shape &, Device, Planned *) { return s; };
}

// Kernel sides are checked before any caller memory is read (the one-shot calls do the same).
bool kernel_sides_ok(int kw, int kh) { return kw >= 1 && kh >= 1 && kw <= kMaxKernelSize && kh <= kMaxKernelSize; }

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

namespace {

// Copies a kernel's data so the layer no longer depends on the caller's memory.
std::vector<float> copy_of(const float *data, size_t n) {
    return data ? std::vector<float>(data, data + n) : std::vector<float>();  // n checked by the caller
}

}  // namespace

Sequential &Sequential::add(const GaborParams &p) {
    impl_->layers.push_back({"gabor", [p](const Shape &in, Device d, Planned *pl) {
                                 return detail::plan_gabor<float>(in, p, d, pl);
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const GaborBankParams &p) {
    impl_->layers.push_back({"gabor_bank", [p](const Shape &in, Device d, Planned *pl) {
                                 return detail::plan_gabor_bank<float>(in, p, d, pl);
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const BoxFilterParams &p) {
    impl_->layers.push_back({"box_filter", [p](const Shape &in, Device d, Planned *pl) {
                                 return detail::plan_box<float>(in, p, d, pl);
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const Filter2DParams &p) {
    if (!kernel_sides_ok(p.kw, p.kh)) {
        impl_->layers.push_back({"filter2d", failing({StatusCode::invalid_argument,
                                                      "filter2d: kernel sides must be in [1, 1023]"})});
        return *this;
    }
    const std::vector<float> kernel = copy_of(p.kernel, p.kernel ? size_t(p.kw) * p.kh : 0);
    impl_->layers.push_back({"filter2d", [p, kernel](const Shape &in, Device d, Planned *pl) {
                                 Filter2DParams q = p;
                                 q.kernel = p.kernel ? kernel.data() : nullptr;
                                 return detail::plan_filter2d<float>(in, q, d, /*own=*/true, pl, "filter2d");
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const SeparableParams &p) {
    if (!kernel_sides_ok(p.kw, p.kh)) {
        impl_->layers.push_back({"sep_filter2d", failing({StatusCode::invalid_argument,
                                                          "sep_filter2d: kernel sides must be in [1, 1023]"})});
        return *this;
    }
    const std::vector<float> kx = copy_of(p.kernel_x, size_t(p.kw));
    const std::vector<float> ky = copy_of(p.kernel_y, size_t(p.kh));
    impl_->layers.push_back({"sep_filter2d", [p, kx, ky](const Shape &in, Device d, Planned *pl) {
                                 SeparableParams q = p;
                                 q.kernel_x = p.kernel_x ? kx.data() : nullptr;
                                 q.kernel_y = p.kernel_y ? ky.data() : nullptr;
                                 return detail::plan_separable_filter<float>(in, q, d, /*own=*/true, pl);
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const DerivativeParams &p) {
    impl_->layers.push_back({"directional_derivative", [p](const Shape &in, Device d, Planned *pl) {
                                 return detail::plan_derivative<float>(in, p, d, pl);
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const ActivationParams &p) {
    impl_->layers.push_back({"activation", [p](const Shape &in, Device d, Planned *pl) {
                                 return detail::plan_activation(in, p, d, pl);
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const Pool2DParams &p) {
    impl_->layers.push_back({"pool2d", [p](const Shape &in, Device d, Planned *pl) {
                                 return detail::plan_pool2d(in, p, d, pl);
                             }});
    impl_->built = false;
    return *this;
}

Sequential &Sequential::add(const FilterView &w, const float *bias, const Conv2DParams &p) {
    // Each factor bounded first, so the product cannot overflow.
    const bool sane = w.data && kernel_sides_ok(w.kw, w.kh) && w.in_channels > 0 && w.out_channels > 0 &&
                      w.in_channels <= (1 << 20) && w.out_channels <= (1 << 20) &&
                      int64_t(w.kh) * w.kw * w.in_channels * w.out_channels <= (int64_t(1) << 29);
    const std::vector<float> weights = sane ? copy_of(w.data, size_t(w.kh) * w.kw * w.in_channels * w.out_channels)
                                            : std::vector<float>();
    const std::vector<float> b = sane ? copy_of(bias, size_t(w.out_channels)) : std::vector<float>();
    impl_->layers.push_back({"conv2d", [w, p, weights, b, bias](const Shape &in, Device d, Planned *pl) {
                                 FilterView v = w;
                                 v.data = weights.empty() ? w.data : weights.data();  // invalid: let the plan say why
                                 return detail::plan_conv2d(in, v, bias ? b.data() : nullptr, p, d, /*own=*/true, pl);
                             }});
    impl_->built = false;
    return *this;
}

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
        if (Status s = detail::check_shape("Sequential input", m.input_shape); !s.ok()) return s;
        Shape shape = m.input_shape;
        for (size_t i = 0; i < m.layers.size(); i++) {
            Planned plan;
            if (Status s = m.layers[i].planner(shape, m.device, &plan); !s.ok()) {
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
        if (in.shape != m.input_shape) {
            return {StatusCode::shape_mismatch, "Sequential: input " + detail::shape_str(in.shape) +
                                                    " but the model was built for " + detail::shape_str(m.input_shape)};
        }
        const Device device = m.plans.front().device;
        if (Status s = detail::check_io("Sequential", in, out, m.plans.back().out, device); !s.ok()) return s;

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
        if (!ctx.error.empty()) o << ": " << ctx.error;
        return {StatusCode::runtime_error, o.str()};
    });
}

}  // namespace hk

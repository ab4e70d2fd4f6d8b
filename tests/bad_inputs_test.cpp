// The bad-input catalogue: every public entry x every kind of bad argument, each a test that
// checks the Status code, a phrase its message must contain, and that the output (guarded by
// canaries on both sides) is untouched. The same rows write docs/bad_inputs.md:
//   build/tests/hk_bad_inputs --write-catalogue docs/bad_inputs.md
// and the ctest bad_inputs_catalogue_is_current fails when the checked-in file differs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "hk/hk.h"

namespace {

using hk::Shape;
using hk::StatusCode;

constexpr float kCanary = 42.f;
constexpr int64_t kGuard = 64;  // canary floats before and after every output

// A view as plain numbers, so each kind of bad tensor is one edit of it, for float and uint8
// inputs alike. `offset`: elements from the start of the buffer.
struct ViewSpec {
    bool null = false;
    Shape shape;
    int64_t stride_n = 0, stride_h = 0, stride_w = 0, stride_c = 1, offset = 0;
    static ViewSpec dense(const Shape &s) {
        ViewSpec v;
        const auto d = hk::ConstTensor::dense(nullptr, s);
        v.shape = s;
        v.stride_n = d.stride_n;
        v.stride_h = d.stride_h;
        v.stride_w = d.stride_w;
        return v;
    }
    template <typename T>
    hk::TensorView<T> view(T *base) const {
        hk::TensorView<T> t;
        t.data = null ? nullptr : base + offset;
        t.shape = shape;
        t.stride_n = stride_n;
        t.stride_h = stride_h;
        t.stride_w = stride_w;
        t.stride_c = stride_c;
        return t;
    }
};

// One call's tensors. The input buffer has room for an output placed inside it (aliasing).
struct Tensors {
    ViewSpec in, out;
    bool out_inside_input = false;
    hk::Device device = hk::Device::cpu;
};

class Buffers {
public:
    Buffers(const Tensors &t, int64_t in_elems, int64_t out_elems)
        : in_f_(size_t(2 * in_elems + out_elems)), out_(size_t(out_elems + 2 * kGuard), kCanary) {
        for (size_t i = 0; i < in_f_.size(); i++) in_f_[i] = float(std::sin(0.37 * double(i)));
        if (t.out_inside_input) {  // the output lies in the input's buffer: all of it is canary
            std::fill(in_f_.begin(), in_f_.end(), kCanary);
            out_inside_input_ = true;
        }
        in = t.in.view<const float>(in_f_.data());
        // uint8 inputs view the same memory, so an output inside it overlaps them too.
        in_u8 = t.in.view<const uint8_t>(reinterpret_cast<const uint8_t *>(in_f_.data()));
        out = t.out.view<float>(t.out_inside_input ? in_f_.data() : out_.data() + kGuard);
    }
    // Every canary and every output element still holds kCanary.
    bool untouched() const {
        for (float v : out_inside_input_ ? in_f_ : out_)
            if (v != kCanary) return false;
        return true;
    }
    hk::ConstTensor in;
    hk::ConstTensorU8 in_u8;
    hk::Tensor out;

private:
    std::vector<float> in_f_;
    std::vector<float> out_;
    bool out_inside_input_ = false;
};

// ---- Valid arguments of every entry (rows change one thing) -------------------------------------

const Shape kIn{1, 8, 8, 3};

hk::GaborParams gabor_params() {
    hk::GaborParams p;
    p.ksize_w = p.ksize_h = 5;
    p.sigma = 2;
    p.lambda = 4;
    return p;
}
hk::GaborBankParams bank_params() {
    hk::GaborBankParams p;
    p.ksize_w = p.ksize_h = 5;
    p.thetas = {0, 1};
    p.lambdas = {4};
    return p;
}
hk::BoxFilterParams box_params() {
    hk::BoxFilterParams p;
    p.ksize_w = p.ksize_h = 3;
    return p;
}
const float kKernel[9] = {0, 1, 0, 1, -4, 1, 0, 1, 0};
const float kTaps[3] = {0.25f, 0.5f, 0.25f};
hk::Filter2DParams filter2d_params() {
    hk::Filter2DParams p;
    p.kernel = kKernel;
    p.kw = p.kh = 3;
    return p;
}
hk::SeparableParams separable_params() {
    hk::SeparableParams p;
    p.kernel_x = p.kernel_y = kTaps;
    p.kw = p.kh = 3;
    return p;
}
const std::vector<float> kWeights(3 * 3 * 3 * 4, 0.1f);
const float kBias[4] = {0, 0, 0, 0};
hk::Conv2DLayer conv_layer() { return {{kWeights.data(), 3, 3, 3, 4}, kBias, {}}; }  // VALID: 6x6x4
hk::PackedConv2DWeights packed_weights(const hk::FilterView &w = conv_layer().weights) {
    hk::PackedConv2DWeights p;
    (void)hk::PackedConv2DWeights::pack(w, kBias, &p);  // conv_layer()'s: valid, so packed
    return p;
}
hk::GaborConvModel gabor_conv_model() {
    hk::GaborConvModel m;
    m.gabor = gabor_params();
    m.weights = conv_layer().weights;
    m.bias = kBias;
    return m;
}
hk::BoxPoolModel box_pool_model() { return {box_params(), {}}; }

// ---- The catalogue -----------------------------------------------------------------------------

struct Row {
    std::string entry, bad;  // the public entry, the bad argument
    StatusCode code;
    std::string phrase;  // what the message must contain
    std::function<hk::Status(Buffers &)> call;
    Tensors tensors;
    Shape out_shape;  // the output the call expects (for the buffers)
};

// An entry taking tensors: its name, expected output shape and call.
struct TensorEntry {
    std::string name;
    Shape out;
    std::function<hk::Status(Buffers &, hk::Device)> call;
};

std::vector<TensorEntry> tensor_entries() {
    const Shape same{1, 8, 8, 3}, bank{1, 8, 8, 6}, conv{1, 6, 6, 4}, pool{1, 4, 4, 3};
    std::vector<TensorEntry> e = {
        {"gabor", same, [](Buffers &b, hk::Device d) { return hk::gabor(b.in, b.out, gabor_params(), d); }},
        {"gabor (uint8)", same, [](Buffers &b, hk::Device d) { return hk::gabor(b.in_u8, b.out, gabor_params(), d); }},
        {"gabor_bank", bank, [](Buffers &b, hk::Device d) { return hk::gabor_bank(b.in, b.out, bank_params(), d); }},
        {"gabor_bank (uint8)", bank,
         [](Buffers &b, hk::Device d) { return hk::gabor_bank(b.in_u8, b.out, bank_params(), d); }},
        {"box_filter", same, [](Buffers &b, hk::Device d) { return hk::box_filter(b.in, b.out, box_params(), d); }},
        {"box_filter (uint8)", same,
         [](Buffers &b, hk::Device d) { return hk::box_filter(b.in_u8, b.out, box_params(), d); }},
        {"filter2d", same, [](Buffers &b, hk::Device d) { return hk::filter2d(b.in, b.out, filter2d_params(), d); }},
        {"filter2d (uint8)", same,
         [](Buffers &b, hk::Device d) { return hk::filter2d(b.in_u8, b.out, filter2d_params(), d); }},
        {"sep_filter2d", same,
         [](Buffers &b, hk::Device d) { return hk::sep_filter2d(b.in, b.out, separable_params(), d); }},
        {"sep_filter2d (uint8)", same,
         [](Buffers &b, hk::Device d) { return hk::sep_filter2d(b.in_u8, b.out, separable_params(), d); }},
        {"directional_derivative", same,
         [](Buffers &b, hk::Device d) { return hk::directional_derivative(b.in, b.out, {}, d); }},
        {"directional_derivative (uint8)", same,
         [](Buffers &b, hk::Device d) { return hk::directional_derivative(b.in_u8, b.out, {}, d); }},
        {"activation", same,
         [](Buffers &b, hk::Device d) { return hk::activation(b.in, b.out, {hk::Activation::relu}, d); }},
        {"pool2d", pool, [](Buffers &b, hk::Device d) { return hk::pool2d(b.in, b.out, {}, d); }},
        {"conv2d", conv,
         [](Buffers &b, hk::Device d) {
             const hk::Conv2DLayer l = conv_layer();
             return hk::conv2d(b.in, l.weights, l.bias, b.out, l.params, d);
         }},
        {"conv2d (packed weights)", conv,
         [](Buffers &b, hk::Device d) { return hk::conv2d(b.in, packed_weights(), b.out, conv_layer().params, d); }},
    };
    for (hk::Fusion f : {hk::Fusion::fused, hk::Fusion::unfused}) {
        const std::string how = f == hk::Fusion::fused ? " fused" : " unfused";
        e.push_back({"run_model gabor_conv" + how, conv,
                     [f](Buffers &b, hk::Device d) { return hk::run_model(b.in, b.out, gabor_conv_model(), f, d); }});
        e.push_back({"run_model box_pool" + how, pool,
                     [f](Buffers &b, hk::Device d) { return hk::run_model(b.in, b.out, box_pool_model(), f, d); }});
        e.push_back({"run_model derivative_activation" + how, same, [f](Buffers &b, hk::Device d) {
                         return hk::run_model(b.in, b.out, hk::DerivativeActivationModel{}, f, d);
                     }});
    }
    e.push_back({"Sequential::run", conv, [](Buffers &b, hk::Device d) {
                     hk::Sequential model(kIn, d);
                     model.add(gabor_params()).add(conv_layer());
                     if (hk::Status s = model.build(); !s.ok()) return s;
                     return model.run(b.in, b.out);
                 }});
    return e;
}

// Each kind of bad tensor argument, as an edit of valid tensors.
struct TensorKind {
    std::string bad;
    StatusCode code;
    std::string phrase;
    std::function<void(Tensors &)> edit;
};

std::vector<TensorKind> tensor_kinds() {
    const int64_t big = std::numeric_limits<int32_t>::max();
    return {
        {"input data null", StatusCode::invalid_argument, "input: data is null", [](Tensors &t) { t.in.null = true; }},
        {"output data null", StatusCode::invalid_argument, "output: data is null", [](Tensors &t) { t.out.null = true; }},
        {"input dimension 0", StatusCode::invalid_argument, "every dimension must be in [1,",
         [](Tensors &t) { t.in = ViewSpec::dense({1, 0, 8, 3}); }},
        {"input dimension negative", StatusCode::invalid_argument, "every dimension must be in [1,",
         [](Tensors &t) { t.in = ViewSpec::dense({1, 8, -3, 3}); }},
        {"input dimension INT64_MIN", StatusCode::invalid_argument, "every dimension must be in [1,",  // found by fuzzing
         [](Tensors &t) { t.in = ViewSpec::dense({1, std::numeric_limits<int64_t>::min(), 8, 3}); }},
        {"input over 2 GiB", StatusCode::unsupported, "spans more than 2 GiB",
         [](Tensors &t) { t.in = ViewSpec::dense({64, 4096, 4096, 3}); }},
        {"input elements overflow int64", StatusCode::unsupported, "spans more than 2 GiB",
         [big](Tensors &t) { t.in = ViewSpec::dense({big, big, big, 3}); }},
        {"input stride_c != 1", StatusCode::unsupported, "stride_c", [](Tensors &t) { t.in.stride_c = 2; }},
        {"input stride not positive", StatusCode::invalid_argument, "stride_h = -24 must be positive",
         [](Tensors &t) { t.in.stride_h = -24; }},
        {"input strides overlap", StatusCode::invalid_argument, "overlap", [](Tensors &t) { t.in.stride_h = 3; }},
        {"output strides overlap", StatusCode::invalid_argument, "overlap", [](Tensors &t) { t.out.stride_w = 1; }},
        {"output shape wrong", StatusCode::shape_mismatch, "does not match the expected",
         [](Tensors &t) { t = Tensors{t.in, ViewSpec::dense({1, 3, 3, 1})}; }},
        {"output overlaps input", StatusCode::invalid_argument, "overlaps the input",
         [](Tensors &t) {
             t.out.offset = 5;
             t.out_inside_input = true;
         }},
        {"device out of range", StatusCode::invalid_argument, "device = 9", [](Tensors &t) { t.device = hk::Device(9); }},
    };
}

// Bad parameters, per entry: each row is the valid call with one parameter broken.
template <typename F>
Row param_row(std::string entry, std::string bad, StatusCode code, std::string phrase, Shape out, F call) {
    return {std::move(entry), std::move(bad), code, std::move(phrase),
            [call](Buffers &b) { return call(b); }, {ViewSpec::dense(kIn), ViewSpec::dense(out)}, out};
}

template <typename P, typename Edit>
P edited(P p, Edit edit) {
    edit(p);
    return p;
}

std::vector<Row> param_rows() {
    const Shape same{1, 8, 8, 3}, conv{1, 6, 6, 4}, pool{1, 4, 4, 3};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const StatusCode invalid = StatusCode::invalid_argument, mismatch = StatusCode::shape_mismatch,
                     unsupported = StatusCode::unsupported;
    std::vector<Row> r;
    auto gabor = [&](std::string bad, std::string phrase, std::function<void(hk::GaborParams &)> e, StatusCode c = StatusCode::invalid_argument) {
        r.push_back(param_row("gabor", bad, c, phrase, same,
                              [e](Buffers &b) { return hk::gabor(b.in, b.out, edited(gabor_params(), e)); }));
    };
    gabor("ksize 0", "ksize 0x5 must be in [1, 1023]", [](auto &p) { p.ksize_w = 0; });
    gabor("ksize 1024", "must be in [1, 1023]", [](auto &p) { p.ksize_h = 1024; });
    gabor("sigma 0", "gabor: sigma = 0 must be > 0", [](auto &p) { p.sigma = 0; });
    gabor("lambda 0", "gabor: lambda = 0 must be > 0", [](auto &p) { p.lambda = 0; });
    gabor("gamma NaN", "gamma", [nan](auto &p) { p.gamma = nan; });
    gabor("theta inf", "theta", [](auto &p) { p.theta = INFINITY; });
    gabor("sigma 1e-30 (overflows float)", "overflow", [](auto &p) { p.sigma = 1e-30; });
    gabor("border 7", "border = 7 is not a Border", [](auto &p) { p.border = hk::Border(7); });
    gabor("padding explicit_pads", "padding must be Padding::same or Padding::valid",
          [](auto &p) { p.padding = hk::Padding::explicit_pads; });
    gabor("channels 5", "channels = 5 is not a ChannelMode", [](auto &p) { p.channels = hk::ChannelMode(5); });
    gabor("low_rank 7", "low_rank = 7 is not a LowRank", [](auto &p) { p.low_rank = hk::LowRank(7); });
    gabor("path 7", "path = 7 is not a FilterPath", [](auto &p) { p.path = hk::FilterPath(7); });
    gabor("path fft, kernel 35 x 35", "path fft takes kernels up to 33 x 33, got 35 x 35", [](auto &p) {
        p.ksize_w = p.ksize_h = 35;
        p.path = hk::FilterPath::fft;
    });
    gabor("VALID kernel larger than the input", "smaller than the kernel", [](auto &p) {
        p.ksize_w = p.ksize_h = 11;
        p.padding = hk::Padding::valid;
    }, mismatch);

    auto bank = [&](std::string bad, std::string phrase, std::function<void(hk::GaborBankParams &)> e) {
        r.push_back(param_row("gabor_bank", bad, invalid, phrase, {1, 8, 8, 6},
                              [e](Buffers &b) { return hk::gabor_bank(b.in, b.out, edited(bank_params(), e)); }));
    };
    bank("no thetas", "filters; must be in [1, 1024]", [](auto &p) { p.thetas.clear(); });
    bank("lambda 0", "gabor_bank: lambdas[0] = 0 must be > 0", [](auto &p) { p.lambdas = {0}; });
    bank("sigma negative", "gabor_bank: sigmas[0] = -1 must be > 0", [](auto &p) { p.sigmas = {-1}; });
    bank("theta NaN", "gabor_bank: thetas[1] = nan is not a finite number", [](auto &p) { p.thetas[1] = NAN; });
    bank("sigmas not one per lambda", "one value per lambda", [](auto &p) { p.sigmas = {1, 2}; });
    bank("response 9", "response = 9 is not a GaborResponse", [](auto &p) { p.response = hk::GaborResponse(9); });

    auto box = [&](std::string bad, std::string phrase, std::function<void(hk::BoxFilterParams &)> e) {
        r.push_back(param_row("box_filter", bad, invalid, phrase, same,
                              [e](Buffers &b) { return hk::box_filter(b.in, b.out, edited(box_params(), e)); }));
    };
    box("ksize -5", "ksize -5x3 must be in [1, 1023]", [](auto &p) { p.ksize_w = -5; });
    box("border 7", "border = 7 is not a Border", [](auto &p) { p.border = hk::Border(7); });

    auto f2d = [&](std::string bad, std::string phrase, std::function<void(hk::Filter2DParams &)> e) {
        r.push_back(param_row("filter2d", bad, invalid, phrase, same,
                              [e](Buffers &b) { return hk::filter2d(b.in, b.out, edited(filter2d_params(), e)); }));
    };
    static const float nan_kernel[9] = {0, 1, 0, 1, NAN, 1, 0, 1, 0};
    f2d("kernel null", "kernel is null", [](auto &p) { p.kernel = nullptr; });
    f2d("kernel NaN", "kernel[4] is not a finite number", [](auto &p) { p.kernel = nan_kernel; });
    f2d("anchor outside the kernel", "anchor (3, -1) must be -1 or inside the 3x3 kernel", [](auto &p) { p.anchor_x = 3; });
    f2d("activation kind 99", "activation kind = 99 is not an Activation",
        [](auto &p) { p.activation.kind = hk::Activation(99); });
    f2d("activation alpha NaN", "activation alpha must be a finite number", [](auto &p) { p.activation.alpha = NAN; });
    f2d("path fft with an activation", "path fft does not fuse an activation", [](auto &p) {
        p.path = hk::FilterPath::fft;
        p.activation.kind = hk::Activation::relu;
    });

    auto sep = [&](std::string bad, std::string phrase, std::function<void(hk::SeparableParams &)> e) {
        r.push_back(param_row("sep_filter2d", bad, invalid, phrase, same,
                              [e](Buffers &b) { return hk::sep_filter2d(b.in, b.out, edited(separable_params(), e)); }));
    };
    sep("kernel_x null", "kernel_x and kernel_y must not be null", [](auto &p) { p.kernel_x = nullptr; });
    sep("kw 0", "ksize 0x3 must be in [1, 1023]", [](auto &p) { p.kw = 0; });

    auto der = [&](std::string bad, std::string phrase, std::function<void(hk::DerivativeParams &)> e) {
        r.push_back(param_row("directional_derivative", bad, invalid, phrase, same, [e](Buffers &b) {
            return hk::directional_derivative(b.in, b.out, edited(hk::DerivativeParams{}, e));
        }));
    };
    der("order 3", "order = 3 must be 1 or 2", [](auto &p) { p.order = 3; });
    der("theta NaN", "theta must be a finite number", [nan](auto &p) { p.theta = nan; });
    der("Scharr second order", "first-order only", [](auto &p) {
        p.stencil = hk::Stencil::scharr;
        p.order = 2;
    });
    der("stencil 9", "stencil = 9 is not a Stencil", [](auto &p) { p.stencil = hk::Stencil(9); });

    auto act = [&](std::string bad, std::string phrase, hk::ActivationParams p) {
        r.push_back(param_row("activation", bad, invalid, phrase, same,
                              [p](Buffers &b) { return hk::activation(b.in, b.out, p); }));
    };
    act("kind 99", "activation kind = 99 is not an Activation", {hk::Activation(99)});
    act("alpha inf", "activation alpha must be a finite number", {hk::Activation::leaky_relu, INFINITY});

    auto pl = [&](std::string bad, StatusCode c, std::string phrase, std::function<void(hk::Pool2DParams &)> e) {
        r.push_back(param_row("pool2d", bad, c, phrase, pool,
                              [e](Buffers &b) { return hk::pool2d(b.in, b.out, edited(hk::Pool2DParams{}, e)); }));
    };
    pl("window 0", invalid, "window_h = 0 must be in [1, 1023]", [](auto &p) { p.window_h = 0; });
    pl("stride 0", invalid, "stride_w = 0", [](auto &p) { p.stride_w = 0; });
    pl("kind 5", invalid, "kind = 5 is not a PoolKind", [](auto &p) { p.kind = hk::PoolKind(5); });
    pl("pads not smaller than the window", invalid, "each pad must be smaller than the window", [](auto &p) {
        p.padding = hk::Padding::explicit_pads;
        p.pads.top = 2;
    });
    pl("VALID window larger than the input", mismatch, "the window spans 9 along height, more than the VALID input's 8",
       [](auto &p) { p.window_h = 9; });
    pl("padding 7", invalid, "padding = 7 is not a Padding", [](auto &p) { p.padding = hk::Padding(7); });

    auto cv = [&](std::string bad, StatusCode c, std::string phrase, std::function<void(hk::Conv2DLayer &)> e) {
        r.push_back(param_row("conv2d", bad, c, phrase, conv, [e](Buffers &b) {
            const hk::Conv2DLayer l = edited(conv_layer(), e);
            return hk::conv2d(b.in, l.weights, l.bias, b.out, l.params);
        }));
    };
    cv("weights null", invalid, "weights data is null", [](auto &l) { l.weights.data = nullptr; });
    cv("weights for 2 input channels", mismatch, "input has 3 channels but weights [3, 3, 2, 4]", [](auto &l) { l.weights.in_channels = 2; });
    cv("groups 0", invalid, "groups", [](auto &l) { l.params.groups = 0; });
    cv("stride 0", invalid, "stride_h = 0", [](auto &l) { l.params.stride_h = 0; });
    cv("dilation 0", invalid, "dilation_w = 0", [](auto &l) { l.params.dilation_w = 0; });
    cv("VALID dilated window larger than the input", mismatch, "spans 9 along height (dilation included)",
       [](auto &l) { l.params.dilation_h = 4; });
    cv("activation kind 99", invalid, "activation kind = 99", [](auto &l) { l.params.activation.kind = hk::Activation(99); });
    cv("explicit pads negative", invalid, "pads along height (-1, 0) must be in [0, 1023]", [](auto &l) {
        l.params.padding = hk::Padding::explicit_pads;
        l.params.pads.top = -1;
    });

    auto pk = [&](std::string bad, StatusCode c, std::string phrase, std::function<hk::Status(Buffers &)> f) {
        r.push_back(param_row("conv2d (packed weights)", std::move(bad), c, std::move(phrase), conv, std::move(f)));
    };
    pk("weights empty", invalid, "conv2d: the packed weights are empty",
       [](Buffers &b) { return hk::conv2d(b.in, hk::PackedConv2DWeights(), b.out, conv_layer().params); });
    pk("weights for 2 input channels", mismatch, "input has 3 channels but weights [3, 3, 2, 4]", [](Buffers &b) {
        return hk::conv2d(b.in, packed_weights({kWeights.data(), 3, 3, 2, 4}), b.out, conv_layer().params);
    });
    pk("groups 0", invalid, "groups", [](Buffers &b) {
        return hk::conv2d(b.in, packed_weights(), b.out, edited(conv_layer(), [](auto &l) { l.params.groups = 0; }).params);
    });

    r.push_back(param_row("run_model gabor_conv", "fusion 5", invalid, "fusion = 5 is not a Fusion", conv,
                          [](Buffers &b) { return hk::run_model(b.in, b.out, gabor_conv_model(), hk::Fusion(5)); }));
    r.push_back(param_row("run_model gabor_conv", "first stage VALID", unsupported,
                          "the first stage must use Padding::same", conv, [](Buffers &b) {
                              hk::GaborConvModel m = gabor_conv_model();
                              m.gabor.padding = hk::Padding::valid;
                              return hk::run_model(b.in, b.out, m);
                          }));
    r.push_back(param_row("run_model gabor_conv", "fused dilated window over kMaxFusedConvExtent", unsupported,
                          "use Fusion::unfused", {1, 8, 8, 4}, [](Buffers &b) {
                              hk::GaborConvModel m = gabor_conv_model();
                              m.conv.padding = hk::Padding::same;
                              m.conv.dilation_w = 40;
                              return hk::run_model(b.in, b.out, m);
                          }));
    r.push_back(param_row("run_model derivative_activation", "activation set in the derivative", invalid,
                          "set the activation in the model, not in its derivative", same, [](Buffers &b) {
                              hk::DerivativeActivationModel m;
                              m.derivative.activation.kind = hk::Activation::relu;
                              return hk::run_model(b.in, b.out, m);
                          }));
    return r;
}

// Entries that return values through pointers, and Sequential's own errors.
std::vector<Row> other_rows() {
    const StatusCode invalid = StatusCode::invalid_argument;
    std::vector<Row> r;
    auto row = [&](std::string entry, std::string bad, StatusCode c, std::string phrase, std::function<hk::Status()> f) {
        r.push_back(param_row(std::move(entry), std::move(bad), c, std::move(phrase), kIn,
                              [f](Buffers &) { return f(); }));
    };
    // output_shape: every overload with a null out, and one bad input shape.
    auto shape_rows = [&](const std::string &params, const std::string &op, auto p) {
        row("output_shape(" + params + ")", "out null", invalid, op + ": output_shape's out is null",
            [p] { return hk::output_shape(kIn, p, nullptr); });
        row("output_shape(" + params + ")", "input dimension 0", invalid, "every dimension must be in [1,", [p] {
            Shape s;
            return hk::output_shape({1, 8, 0, 3}, p, &s);
        });
    };
    shape_rows("GaborParams", "gabor", gabor_params());
    shape_rows("GaborBankParams", "gabor_bank", bank_params());
    shape_rows("BoxFilterParams", "box_filter", box_params());
    shape_rows("Filter2DParams", "filter2d", filter2d_params());
    shape_rows("SeparableParams", "sep_filter2d", separable_params());
    shape_rows("DerivativeParams", "directional_derivative", hk::DerivativeParams{});
    shape_rows("ActivationParams", "activation", hk::ActivationParams{});
    shape_rows("Pool2DParams", "pool2d", hk::Pool2DParams{});
    shape_rows("Conv2DLayer", "conv2d", conv_layer());
    shape_rows("PackedConv2DLayer", "conv2d", hk::PackedConv2DLayer{packed_weights(), {}});
    shape_rows("GaborConvModel", "gabor_conv", gabor_conv_model());
    shape_rows("BoxPoolModel", "box_pool", box_pool_model());
    shape_rows("DerivativeActivationModel", "derivative_activation", hk::DerivativeActivationModel{});

    row("derivative_kernel", "kernel null", invalid, "derivative_kernel: kernel is null",
        [] { return hk::derivative_kernel({}, nullptr); });
    row("gabor_kernel", "kernel null", invalid, "must not be null", [] {
        int kw = 0, kh = 0;
        return hk::gabor_kernel(gabor_params(), nullptr, &kw, &kh);
    });
    row("kernel_rank", "rank null", invalid, "must not be null", [] { return hk::kernel_rank(kKernel, 3, 3, nullptr); });
    row("kernel_rank", "kw 64", invalid, "kw = 64 must be in [1, 63]", [] {
        int rank = 0;
        return hk::kernel_rank(kKernel, 64, 3, &rank);
    });
    row("gabor_kernel", "ksize 0", invalid, "ksize", [] {
        std::vector<float> k;
        int kw = 0, kh = 0;
        return hk::gabor_kernel(edited(gabor_params(), [](auto &p) { p.ksize_w = 0; }), &k, &kw, &kh);
    });
    auto pack_row = [&](std::string bad, StatusCode c, std::string phrase, hk::FilterView w, bool null_out = false) {
        row("PackedConv2DWeights::pack", std::move(bad), c, std::move(phrase), [w, null_out] {
            hk::PackedConv2DWeights p;
            return hk::PackedConv2DWeights::pack(w, kBias, null_out ? nullptr : &p);
        });
    };
    pack_row("weights null", invalid, "PackedConv2DWeights::pack: weights data is null", {nullptr, 3, 3, 3, 4});
    pack_row("out null", invalid, "PackedConv2DWeights::pack: out is null", conv_layer().weights, true);
    pack_row("kh 0", invalid, "weights kh = 0", {kWeights.data(), 0, 3, 3, 4});
    pack_row("out_channels negative", invalid, "weights out_channels = -4", {kWeights.data(), 3, 3, 3, -4});
    pack_row("weights over 2 GiB", StatusCode::unsupported, "weights of more than 2 GiB",
             {kWeights.data(), 1023, 1023, 1024, 1024});
    row("check_device", "Device 9", invalid, "device = 9 is not a Device", [] { return hk::check_device(hk::Device(9)); });
    row("set_num_threads", "0 threads", invalid, "n = 0 must be in [1,", [] { return hk::set_num_threads(0); });
    row("Sequential::build", "layer that does not fit", StatusCode::shape_mismatch, "layer 2 (conv2d)", [] {
        hk::Sequential model(kIn, hk::Device::cpu);
        static const std::vector<float> weights_for_5_channels(3 * 3 * 5 * 4, 0.1f);
        hk::Conv2DLayer l = conv_layer();
        l.weights = {weights_for_5_channels.data(), 3, 3, 5, 4};  // the input has 3
        return model.add(gabor_params()).add(l).build();
    });
    row("Sequential::build", "input of extents near 2^31 (products overflow int64)", StatusCode::unsupported,
        "spans more than 2 GiB", [] {  // found by fuzzing
            const int64_t big = std::numeric_limits<int32_t>::max();
            hk::Sequential model({1, big, big, 8}, hk::Device::cpu);
            return model.add(hk::ActivationParams{}).add(hk::ActivationParams{}).build();
        });
    row("Sequential::build", "no layers", invalid, "no layers", [] { return hk::Sequential(kIn, hk::Device::cpu).build(); });
    row("Sequential::run", "before build", invalid, "build", [] {
        hk::Sequential model(kIn, hk::Device::cpu);
        model.add(gabor_params());
        std::vector<float> in(size_t(kIn.elements())), out(size_t(kIn.elements()));
        return model.run(hk::ConstTensor::dense(in.data(), kIn), hk::Tensor::dense(out.data(), kIn));
    });
    row("Sequential::run", "input of another shape", StatusCode::shape_mismatch, "input", [] {
        hk::Sequential model(kIn, hk::Device::cpu);
        model.add(gabor_params());
        if (hk::Status s = model.build(); !s.ok()) return s;
        std::vector<float> in(size_t(kIn.elements())), out(size_t(kIn.elements()));
        return model.run(hk::ConstTensor::dense(in.data(), {1, 8, 4, 6}), hk::Tensor::dense(out.data(), kIn));
    });
    return r;
}

std::vector<Row> catalogue() {
    std::vector<Row> rows;
    for (const TensorEntry &e : tensor_entries())
        for (const TensorKind &k : tensor_kinds()) {
            Row r{e.name, k.bad, k.code, k.phrase, nullptr, {ViewSpec::dense(kIn), ViewSpec::dense(e.out)}, e.out};
            k.edit(r.tensors);
            const auto call = e.call;
            const hk::Device device = r.tensors.device;
            r.call = [call, device](Buffers &b) { return call(b, device); };
            rows.push_back(std::move(r));
        }
    for (auto *part : {&param_rows, &other_rows})
        for (Row &r : part()) rows.push_back(std::move(r));
    return rows;
}

struct Outcome {
    hk::Status status;
    bool untouched;
};

Outcome run(const Row &r) {
    Buffers b(r.tensors, kIn.elements(), r.out_shape.elements());
    hk::Status s = r.call(b);
    return {s, b.untouched()};
}

class BadInput : public ::testing::TestWithParam<size_t> {};

TEST_P(BadInput, ReturnsItsStatusAndWritesNothing) {
    static const std::vector<Row> rows = catalogue();
    const Row &r = rows[GetParam()];
    const Outcome o = run(r);
    EXPECT_EQ(o.status.code(), r.code) << r.entry << " / " << r.bad << ": " << o.status.to_string();
    EXPECT_NE(o.status.message().find(r.phrase), std::string::npos)
        << r.entry << " / " << r.bad << ": \"" << o.status.message() << "\" does not contain \"" << r.phrase << "\"";
    EXPECT_TRUE(o.untouched) << r.entry << " / " << r.bad << ": the output or its guard was written";
}

std::string test_name(const ::testing::TestParamInfo<size_t> &i) {
    static const std::vector<Row> rows = catalogue();
    std::string n = rows[i.param].entry + "_" + rows[i.param].bad;
    for (char &c : n)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return n + "_" + std::to_string(i.param);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::Range(size_t(0), catalogue().size()), test_name);

// The markdown table of every row with the Status it returns here.
int write_catalogue(const char *path) {
    const std::vector<Row> rows = catalogue();
    std::ofstream f(path);
    std::map<std::string, int> kinds;
    for (const Row &r : rows) kinds[r.bad]++;
    f << "# Bad inputs and the Status each returns\n\n"
      << "Generated by `build/tests/hk_bad_inputs --write-catalogue docs/bad_inputs.md` from the rows of\n"
      << "`tests/bad_inputs_test.cpp`; every row is also a test (code, message, output untouched), and\n"
      << "the ctest `bad_inputs_catalogue_is_current` fails when this file differs from what the rows\n"
      << "return. " << rows.size() << " calls, " << kinds.size() << " kinds of bad argument. Device: cpu.\n\n"
      << "| entry | bad argument | code | message |\n|---|---|---|---|\n";
    for (const Row &r : rows) {
        const Outcome o = run(r);
        std::string msg = o.status.message();
        for (size_t p = 0; (p = msg.find('|', p)) != std::string::npos; p += 2) msg.replace(p, 1, "\\|");
        f << "| " << r.entry << " | " << r.bad << " | `" << hk::to_string(o.status.code()) << "` | " << msg << " |\n";
    }
    return f.good() ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 3 && std::strcmp(argv[1], "--write-catalogue") == 0) return write_catalogue(argv[2]);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

// libFuzzer target over the public API: every op with fuzzed shapes, strides, parameters and
// values (NaN and inf included), on the CPU. Built with clang and
// -fsanitize=fuzzer,address,undefined by tests/fuzz/CMakeLists.txt (./hk fuzz; ctest fuzz_api).
//
// What it checks, beyond "no crash, no sanitizer report":
//  - no write outside the output view: the output lies between guard zones, and every element
//    of its allocation that the view does not cover keeps its sentinel (Halide's own code is
//    not instrumented, so ASan alone would not see its writes);
//  - the call agrees with hk::output_shape: a run that succeeds had an output of exactly the
//    shape output_shape gives, and output_shape succeeded for it;
//  - a failure has a known code and a message.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "hk/hk.h"

namespace {

// Views larger than this are only validated (output_shape), never run: the fuzzer wants many
// executions, and a huge valid tensor teaches it nothing new.
constexpr int64_t kMaxRunElements = 1 << 16;
constexpr int64_t kGuard = 64;  // sentinel elements before and after each output allocation
constexpr uint32_t kSentinelBits = 0x7fa5a5a5u;  // a NaN no op produces

// Half the inputs are "tame": sizes, parameters, enums and strides from their valid ranges, so
// those calls get past validation into the kernels; the others probe validation with anything.
bool g_tame = false;

[[noreturn]] void fail(const char *what, const hk::Status &s) {
    std::fprintf(stderr, "api_fuzz: %s (status: %s)\n", what, s.to_string().c_str());
    std::abort();  // libFuzzer saves the input
}

float sentinel() {
    float f;
    std::memcpy(&f, &kSentinelBits, sizeof f);
    return f;
}

bool is_sentinel(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits == kSentinelBits;
}

// A float from the fuzzer, often ordinary, sometimes extreme or not finite.
float fuzz_value(FuzzedDataProvider &fdp) {
    if (g_tame) return fdp.ConsumeFloatingPointInRange<float>(-4.f, 4.f);
    switch (fdp.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: return std::numeric_limits<float>::quiet_NaN();
    case 1: return std::numeric_limits<float>::infinity();
    case 2: return -std::numeric_limits<float>::infinity();
    case 3: return fdp.ConsumeFloatingPoint<float>();
    default: return fdp.ConsumeFloatingPointInRange<float>(-4.f, 4.f);
    }
}

double fuzz_param(FuzzedDataProvider &fdp, double lo, double hi) {
    if (g_tame) return fdp.ConsumeFloatingPointInRange<double>(lo, hi);
    switch (fdp.ConsumeIntegralInRange<int>(0, 11)) {
    case 0: return std::nan("");
    case 1: return std::numeric_limits<double>::infinity();
    case 2: return fdp.ConsumeFloatingPoint<double>();
    case 3: return 0;
    default: return fdp.ConsumeFloatingPointInRange<double>(lo, hi);
    }
}

// Small sizes mostly; 0, negatives and huge values sometimes.
int fuzz_size(FuzzedDataProvider &fdp, int typical_max) {
    if (g_tame) return fdp.ConsumeIntegralInRange<int>(1, typical_max);
    switch (fdp.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: return fdp.ConsumeIntegralInRange<int>(-3, 0);
    case 1: return fdp.ConsumeIntegral<int>();
    case 2: return fdp.ConsumeIntegralInRange<int>(typical_max, 4 * typical_max);
    default: return fdp.ConsumeIntegralInRange<int>(1, typical_max);
    }
}

template <typename E>
E fuzz_enum(FuzzedDataProvider &fdp, int count) {
    // Mostly valid values, sometimes one past the end or negative.
    return E(g_tame ? fdp.ConsumeIntegralInRange<int>(0, count - 1) : fdp.ConsumeIntegralInRange<int>(-1, count));
}

hk::Shape fuzz_shape(FuzzedDataProvider &fdp) {
    hk::Shape s;
    s.n = fdp.ConsumeIntegralInRange<int>(0, 15) ? fdp.ConsumeIntegralInRange<int>(1, 2) : fuzz_size(fdp, 2);
    s.h = fuzz_size(fdp, 12);
    s.w = fuzz_size(fdp, 12);
    s.c = fuzz_size(fdp, 5);
    if (!g_tame && fdp.ConsumeIntegralInRange<int>(0, 63) == 0) s.h = fdp.ConsumeIntegral<int64_t>();
    return s;
}

// Strides for `s`: dense mostly, sometimes padded (a crop), sometimes arbitrary (zero,
// negative, overlapping, huge) -- the runtime must reject what tensor.h forbids.
void fuzz_strides(FuzzedDataProvider &fdp, const hk::Shape &s, int64_t *sn, int64_t *sh, int64_t *sw, int64_t *sc) {
    *sc = 1;
    *sw = s.c;
    *sh = hk::saturating_mul(s.w, s.c);
    *sn = hk::saturating_mul(s.h, *sh);
    switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:  // a crop of a wider image
        *sh = hk::saturating_mul(s.w + fdp.ConsumeIntegralInRange<int>(1, 5), s.c);
        *sn = hk::saturating_mul(s.h, *sh);
        break;
    case 1:
        if (g_tame) break;
        *sc = fdp.ConsumeIntegralInRange<int>(-1, 3);
        *sw = fdp.ConsumeIntegralInRange<int64_t>(-2, 8);
        *sh = fdp.ConsumeIntegralInRange<int64_t>(-2, 200);
        *sn = fdp.ConsumeIntegral<int64_t>();
        break;
    default: break;
    }
}

// The memory a view spans, in elements; kInvalidView for a view tensor.h forbids (an extent
// below 1, a negative stride: the call gets a small buffer and must fail before touching it);
// kTooLarge for one this fuzzer does not allocate (then the op is not run at all).
constexpr int64_t kInvalidView = -1, kTooLarge = -2;
int64_t span_of(const hk::Shape &s, int64_t sn, int64_t sh, int64_t sw, int64_t sc) {
    if (s.n < 1 || s.h < 1 || s.w < 1 || s.c < 1 || sn < 0 || sh < 0 || sw < 0 || sc < 0) return kInvalidView;
    if (s.elements() > kMaxRunElements) return kTooLarge;  // also with strides of 0
    int64_t last = 0;
    for (int64_t term : {hk::saturating_mul(s.n - 1, sn), hk::saturating_mul(s.h - 1, sh),
                         hk::saturating_mul(s.w - 1, sw), hk::saturating_mul(s.c - 1, sc)}) {
        if (term >= kMaxRunElements) return kTooLarge;
        last += term;
    }
    return last >= kMaxRunElements ? kTooLarge : last + 1;
}

template <typename T>
struct FuzzInput {
    std::vector<T> storage;
    hk::TensorView<const T> view;
    bool too_large = false;
};

template <typename T>
FuzzInput<T> make_input(FuzzedDataProvider &fdp, const hk::Shape &s) {
    FuzzInput<T> in;
    int64_t sn, sh, sw, sc;
    fuzz_strides(fdp, s, &sn, &sh, &sw, &sc);
    const int64_t span = span_of(s, sn, sh, sw, sc);
    in.too_large = span == kTooLarge;
    in.storage.resize(size_t(span > 0 ? span : 16));
    for (T &v : in.storage) {
        if constexpr (std::is_same_v<T, float>) v = fuzz_value(fdp);
        else v = fdp.ConsumeIntegral<uint8_t>();
    }
    in.view.data = g_tame || fdp.ConsumeIntegralInRange<int>(0, 63) ? in.storage.data() : nullptr;
    in.view.shape = s;
    in.view.stride_n = sn, in.view.stride_h = sh, in.view.stride_w = sw, in.view.stride_c = sc;
    return in;
}

// An output allocation with guard zones; the view may have any shape and strides.
struct FuzzOutput {
    std::vector<float> storage;
    hk::Tensor view;
    bool runnable = false;  // the view fits its allocation (otherwise only rejection is legal)
    bool too_large = false;

    void check_untouched_outside_view() const {
        if (!runnable) return;
        std::vector<char> covered(storage.size(), 0);
        const hk::Shape &s = view.shape;
        for (int64_t n = 0; n < s.n; n++)
            for (int64_t y = 0; y < s.h; y++)
                for (int64_t x = 0; x < s.w; x++)
                    for (int64_t c = 0; c < s.c; c++)
                        covered[size_t(&view.at(n, y, x, c) - storage.data())] = 1;
        for (size_t i = 0; i < storage.size(); i++) {
            if (!covered[i] && !is_sentinel(storage[i])) {
                std::fprintf(stderr, "api_fuzz: element %zd of the output allocation, outside the view, was written\n",
                             ptrdiff_t(i) - ptrdiff_t(kGuard));
                std::abort();
            }
        }
    }
};

FuzzOutput make_output(FuzzedDataProvider &fdp, const hk::Shape &expected, bool have_expected) {
    FuzzOutput out;
    hk::Shape s = expected;
    if (!have_expected || (!g_tame && fdp.ConsumeIntegralInRange<int>(0, 7) == 0)) s = fuzz_shape(fdp);  // often wrong
    int64_t sn, sh, sw, sc;
    fuzz_strides(fdp, s, &sn, &sh, &sw, &sc);
    const int64_t span = span_of(s, sn, sh, sw, sc);
    out.runnable = span > 0;
    out.too_large = span == kTooLarge;
    out.storage.assign(size_t((span > 0 ? span : 16) + 2 * kGuard), sentinel());
    out.view.data = out.storage.data() + kGuard;
    out.view.shape = s;
    out.view.stride_n = sn, out.view.stride_h = sh, out.view.stride_w = sw, out.view.stride_c = sc;
    return out;
}

// How many op calls ran and how many succeeded (so a run shows it reaches the kernels, not
// only validation); printed at exit.
struct Counts {
    long calls = 0, succeeded = 0;
    ~Counts() { std::fprintf(stderr, "api_fuzz: %ld op calls, %ld succeeded (ran a kernel)\n", calls, succeeded); }
} counts;

void check_status(const hk::Status &s) {
    if (!s.ok() && s.message().empty()) fail("a failure without a message", s);
    if (int(s.code()) < 0 || int(s.code()) > int(hk::StatusCode::runtime_error)) fail("an unknown status code", s);
}

// One op call on fuzzed tensors: output_shape first (its answer decides the output's shape most
// of the time), then the run, then the checks above.
template <typename T, typename Params, typename Run>
void call_op(FuzzedDataProvider &fdp, const Params &p, Run run) {
    const hk::Shape in_shape = fuzz_shape(fdp);
    FuzzInput<T> in = make_input<T>(fdp, in_shape);
    hk::Shape expected{0, 0, 0, 0};
    const hk::Status shape_status = hk::output_shape(in_shape, p, &expected);
    check_status(shape_status);
    FuzzOutput out = make_output(fdp, expected, shape_status.ok());
    if (in.too_large || out.too_large) return;  // shape check only
    if (!out.runnable && fdp.ConsumeBool()) return;  // half the invalid outputs: shape check only
    const hk::Status s = run(in.view, out.view);
    check_status(s);
    counts.calls++, counts.succeeded += s.ok();
    out.check_untouched_outside_view();
    if (s.ok()) {
        if (!shape_status.ok()) fail("a run succeeded where output_shape failed", shape_status);
        if (out.view.shape != expected) fail("a run succeeded on an output of another shape than output_shape's", s);
        if (!in.view.data) fail("a run succeeded on a null input", s);
    }
}

hk::Border fuzz_border(FuzzedDataProvider &fdp) { return fuzz_enum<hk::Border>(fdp, 3); }
hk::Padding fuzz_padding(FuzzedDataProvider &fdp) { return fuzz_enum<hk::Padding>(fdp, 3); }

hk::ActivationParams fuzz_activation(FuzzedDataProvider &fdp) {
    hk::ActivationParams a;
    a.kind = fuzz_enum<hk::Activation>(fdp, 8);
    a.alpha = float(fuzz_param(fdp, -1, 1));
    return a;
}

hk::Pads fuzz_pads(FuzzedDataProvider &fdp) {
    // A pad of -1 and INT_MIN too: fuzz_size(3) goes down to -3 and to any int.
    auto pad = [&] { return fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<int>(-1, 3) : fuzz_size(fdp, 3); };
    return {pad(), pad(), pad(), pad()};
}

hk::GaborParams fuzz_gabor(FuzzedDataProvider &fdp) {
    hk::GaborParams g;
    g.ksize_w = fuzz_size(fdp, 9), g.ksize_h = fuzz_size(fdp, 9);
    g.sigma = fuzz_param(fdp, 0.3, 5), g.theta = fuzz_param(fdp, -4, 4), g.lambda = fuzz_param(fdp, 0.5, 10);
    g.gamma = fuzz_param(fdp, 0.1, 2), g.psi = fuzz_param(fdp, -4, 4);
    g.border = fuzz_border(fdp), g.padding = fuzz_padding(fdp);
    g.channels = fuzz_enum<hk::ChannelMode>(fdp, 2);
    g.low_rank = fuzz_enum<hk::LowRank>(fdp, 2);
    return g;
}

std::vector<double> fuzz_list(FuzzedDataProvider &fdp, double lo, double hi) {
    std::vector<double> v(size_t(fdp.ConsumeIntegralInRange<int>(0, 4)));
    for (double &x : v) x = fuzz_param(fdp, lo, hi);
    return v;
}

template <typename T>
void fuzz_filters(FuzzedDataProvider &fdp, int which, std::vector<float> &kernel_storage) {
    const hk::Device cpu = hk::Device::cpu;
    switch (which) {
    case 0: {
        const hk::GaborParams g = fuzz_gabor(fdp);
        call_op<T>(fdp, g, [&](auto in, auto out) { return hk::gabor(in, out, g, cpu); });
        break;
    }
    case 1: {
        hk::GaborBankParams b;
        b.ksize_w = fuzz_size(fdp, 7), b.ksize_h = fuzz_size(fdp, 7);
        b.thetas = fuzz_list(fdp, -3, 3), b.lambdas = fuzz_list(fdp, 0.5, 9), b.sigmas = fuzz_list(fdp, 0.3, 5);
        b.psis = fuzz_list(fdp, -3, 3), b.gamma = fuzz_param(fdp, 0.1, 2);
        b.response = fuzz_enum<hk::GaborResponse>(fdp, 3);
        b.border = fuzz_border(fdp), b.padding = fuzz_padding(fdp);
        call_op<T>(fdp, b, [&](auto in, auto out) { return hk::gabor_bank(in, out, b, cpu); });
        break;
    }
    case 2: {
        hk::BoxFilterParams b;
        b.ksize_w = fuzz_size(fdp, 9), b.ksize_h = fuzz_size(fdp, 9), b.normalize = fdp.ConsumeBool();
        b.border = fuzz_border(fdp), b.padding = fuzz_padding(fdp);
        b.channels = fuzz_enum<hk::ChannelMode>(fdp, 2);
        call_op<T>(fdp, b, [&](auto in, auto out) { return hk::box_filter(in, out, b, cpu); });
        break;
    }
    case 3: {
        hk::Filter2DParams f;
        f.kw = fuzz_size(fdp, 6), f.kh = fuzz_size(fdp, 6);
        // The kernel holds kw * kh values when those are sane (the API cannot check a
        // caller's buffer size); null sometimes.
        kernel_storage.resize(size_t(f.kw > 0 && f.kh > 0 && int64_t(f.kw) * f.kh <= 4096 ? f.kw * f.kh : 1));
        for (float &k : kernel_storage) k = fuzz_value(fdp);
        if (kernel_storage.size() == 1 && (f.kw != 1 || f.kh != 1)) f.kw = f.kh = -1;  // never over-read
        f.kernel = g_tame || fdp.ConsumeIntegralInRange<int>(0, 31) ? kernel_storage.data() : nullptr;
        f.anchor_x = fdp.ConsumeIntegralInRange<int>(-2, 6), f.anchor_y = fdp.ConsumeIntegralInRange<int>(-2, 6);
        f.border = fuzz_border(fdp), f.padding = fuzz_padding(fdp);
        f.channels = fuzz_enum<hk::ChannelMode>(fdp, 2), f.activation = fuzz_activation(fdp);
        f.low_rank = fuzz_enum<hk::LowRank>(fdp, 2);
        call_op<T>(fdp, f, [&](auto in, auto out) { return hk::filter2d(in, out, f, cpu); });
        break;
    }
    case 4: {
        hk::SeparableParams sp;
        sp.kw = fdp.ConsumeIntegralInRange<int>(-1, 12), sp.kh = fdp.ConsumeIntegralInRange<int>(-1, 12);
        kernel_storage.resize(24);
        for (float &k : kernel_storage) k = fuzz_value(fdp);
        sp.kernel_x = kernel_storage.data(), sp.kernel_y = fdp.ConsumeBool() ? kernel_storage.data() + 12 : nullptr;
        sp.anchor_x = fdp.ConsumeIntegralInRange<int>(-2, 12), sp.anchor_y = fdp.ConsumeIntegralInRange<int>(-2, 12);
        sp.border = fuzz_border(fdp), sp.padding = fuzz_padding(fdp);
        sp.channels = fuzz_enum<hk::ChannelMode>(fdp, 2), sp.activation = fuzz_activation(fdp);
        call_op<T>(fdp, sp, [&](auto in, auto out) { return hk::sep_filter2d(in, out, sp, cpu); });
        break;
    }
    default: {
        hk::DerivativeParams d;
        d.theta = fuzz_param(fdp, -4, 4), d.order = fdp.ConsumeIntegralInRange<int>(0, 3);
        d.stencil = fuzz_enum<hk::Stencil>(fdp, 3);
        d.border = fuzz_border(fdp), d.padding = fuzz_padding(fdp);
        d.channels = fuzz_enum<hk::ChannelMode>(fdp, 2), d.activation = fuzz_activation(fdp);
        call_op<T>(fdp, d, [&](auto in, auto out) { return hk::directional_derivative(in, out, d, cpu); });
        float k9[9];
        check_status(hk::derivative_kernel(d, k9));
        break;
    }
    }
}

hk::Conv2DParams fuzz_conv_params(FuzzedDataProvider &fdp) {
    hk::Conv2DParams c;
    c.stride_h = fuzz_size(fdp, 3), c.stride_w = fuzz_size(fdp, 3);
    c.dilation_h = fuzz_size(fdp, 3), c.dilation_w = fuzz_size(fdp, 3);
    c.groups = fdp.ConsumeIntegralInRange<int>(0, 4);
    c.padding = fuzz_padding(fdp), c.pads = fuzz_pads(fdp), c.activation = fuzz_activation(fdp);
    return c;
}

// Weights whose buffer holds what the view claims (the API cannot check a caller's buffer).
hk::FilterView fuzz_weights(FuzzedDataProvider &fdp, std::vector<float> &storage) {
    hk::FilterView w;
    w.kh = fuzz_size(fdp, 4), w.kw = fuzz_size(fdp, 4);
    w.in_channels = fuzz_size(fdp, 5), w.out_channels = fuzz_size(fdp, 6);
    const bool sane = w.kh > 0 && w.kw > 0 && w.in_channels > 0 && w.out_channels > 0 &&
                      hk::saturating_mul(hk::saturating_mul(w.kh, w.kw), hk::saturating_mul(w.in_channels, w.out_channels)) <= 4096;
    storage.resize(sane ? size_t(w.kh * w.kw * w.in_channels * w.out_channels) + 64 : 64);
    for (float &v : storage) v = fuzz_value(fdp);
    // A claim larger than `storage` must not be readable: make one side invalid.
    if (!sane && fdp.ConsumeBool()) w.kh = 0;
    else if (!sane) w.in_channels = -1;
    w.data = g_tame || fdp.ConsumeIntegralInRange<int>(0, 31) ? storage.data() : nullptr;
    return w;
}

void fuzz_layers(FuzzedDataProvider &fdp, int which, std::vector<float> &storage) {
    const hk::Device cpu = hk::Device::cpu;
    switch (which) {
    case 0: {
        const hk::ActivationParams a = fuzz_activation(fdp);
        call_op<float>(fdp, a, [&](auto in, auto out) { return hk::activation(in, out, a, cpu); });
        break;
    }
    case 1: {
        hk::Pool2DParams p;
        p.kind = fuzz_enum<hk::PoolKind>(fdp, 2);
        p.window_h = fuzz_size(fdp, 4), p.window_w = fuzz_size(fdp, 4);
        p.stride_h = fuzz_size(fdp, 3), p.stride_w = fuzz_size(fdp, 3);
        p.padding = fuzz_padding(fdp), p.pads = fuzz_pads(fdp), p.count_include_pad = fdp.ConsumeBool();
        call_op<float>(fdp, p, [&](auto in, auto out) { return hk::pool2d(in, out, p, cpu); });
        break;
    }
    case 2: {
        hk::Conv2DLayer l;
        l.weights = fuzz_weights(fdp, storage);
        l.bias = fdp.ConsumeBool() ? storage.data() : nullptr;  // storage holds >= out_channels
        l.params = fuzz_conv_params(fdp);
        call_op<float>(fdp, l, [&](auto in, auto out) { return hk::conv2d(in, l.weights, l.bias, out, l.params, cpu); });
        break;
    }
    case 3: {
        hk::GaborConvModel m;
        m.gabor = fuzz_gabor(fdp), m.weights = fuzz_weights(fdp, storage);
        m.bias = fdp.ConsumeBool() ? storage.data() : nullptr;
        m.conv = fuzz_conv_params(fdp);
        const hk::Fusion f = fuzz_enum<hk::Fusion>(fdp, 2);
        call_op<float>(fdp, m, [&](auto in, auto out) { return hk::run_model(in, out, m, f, cpu); });
        break;
    }
    case 4: {
        hk::BoxPoolModel m;
        m.box.ksize_w = fuzz_size(fdp, 7), m.box.ksize_h = fuzz_size(fdp, 7), m.box.border = fuzz_border(fdp);
        m.box.padding = fuzz_padding(fdp), m.box.channels = fuzz_enum<hk::ChannelMode>(fdp, 2);
        m.pool.kind = fuzz_enum<hk::PoolKind>(fdp, 2), m.pool.window_h = fuzz_size(fdp, 3);
        m.pool.window_w = fuzz_size(fdp, 3), m.pool.padding = fuzz_padding(fdp);
        const hk::Fusion f = fuzz_enum<hk::Fusion>(fdp, 2);
        call_op<float>(fdp, m, [&](auto in, auto out) { return hk::run_model(in, out, m, f, cpu); });
        break;
    }
    case 5: {
        hk::DerivativeActivationModel m;
        m.derivative.theta = fuzz_param(fdp, -4, 4), m.derivative.order = fdp.ConsumeIntegralInRange<int>(0, 3);
        m.derivative.stencil = fuzz_enum<hk::Stencil>(fdp, 3), m.derivative.border = fuzz_border(fdp);
        m.derivative.activation = fuzz_activation(fdp), m.activation = fuzz_activation(fdp);
        const hk::Fusion f = fuzz_enum<hk::Fusion>(fdp, 2);
        call_op<float>(fdp, m, [&](auto in, auto out) { return hk::run_model(in, out, m, f, cpu); });
        break;
    }
    default: {  // a Sequential of a few layers, run twice
        const hk::Shape in_shape = fuzz_shape(fdp);
        hk::Sequential model(in_shape, fdp.ConsumeBool() ? hk::Device::cpu : fuzz_enum<hk::Device>(fdp, 4));
        for (int i = fdp.ConsumeIntegralInRange<int>(0, 3); i > 0; i--) {
            switch (fdp.ConsumeIntegralInRange<int>(0, 2)) {
            case 0: model.add(fuzz_gabor(fdp)); break;
            case 1: model.add(fuzz_activation(fdp)); break;
            default: {
                hk::Pool2DParams p;
                p.window_h = fuzz_size(fdp, 3), p.window_w = fuzz_size(fdp, 3), p.padding = fuzz_padding(fdp);
                model.add(p);
            }
            }
        }
        const hk::Status built = model.build();
        check_status(built);
        FuzzInput<float> in = make_input<float>(fdp, in_shape);
        FuzzOutput out = make_output(fdp, built.ok() ? model.output_shape() : hk::Shape{}, built.ok());
        for (int run = 0; run < 2 && !in.too_large && !out.too_large; run++) {
            const hk::Status s = model.run(in.view, out.view);
            check_status(s);
            counts.calls++, counts.succeeded += s.ok();
            out.check_untouched_outside_view();
            if (s.ok() && !built.ok()) fail("a Sequential ran without a successful build", built);
        }
    }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    (void)hk::set_num_threads(1);  // more executions per second; the concurrency test covers threads
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzedDataProvider fdp(data, size);
    g_tame = fdp.ConsumeBool();
    std::vector<float> storage;
    const int family = fdp.ConsumeIntegralInRange<int>(0, 3);
    const int which = fdp.ConsumeIntegralInRange<int>(0, 6);
    switch (family) {
    case 0: fuzz_filters<float>(fdp, which, storage); break;
    case 1: fuzz_filters<uint8_t>(fdp, which, storage); break;
    case 2: fuzz_layers(fdp, which, storage); break;
    default: {  // the helpers that take plain values
        hk::GaborParams g = fuzz_gabor(fdp);
        std::vector<float> k;
        int kw = 0, kh = 0, rank = 0;
        check_status(hk::gabor_kernel(g, &k, &kw, &kh));
        storage.resize(64);
        for (float &v : storage) v = fuzz_value(fdp);
        check_status(hk::kernel_rank(storage.data(), fdp.ConsumeIntegralInRange<int>(-1, 8),
                                     fdp.ConsumeIntegralInRange<int>(-1, 8), &rank));
        check_status(hk::check_device(fuzz_enum<hk::Device>(fdp, 4)));
    }
    }
    return 0;
}

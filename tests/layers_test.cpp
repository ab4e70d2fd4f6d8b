// conv2d, pooling and activations on every device, against plain C++ references (double) and
// against oneDNN (same shapes, NHWC) as an independent oracle.
//
// Tolerances (u = 2^-24): conv2d sums K = kh*kw*in_channels products in float, so its error is
// at most (K + 1) u S with S = |bias| + sum |w_i x_i| (first-order bound for recursive
// summation), plus the fused activation's error (below). Activations: relu, leaky relu and
// relu6 are exact; sigmoid, tanh and gelu use float exp / tanh / erf, accurate to a few ulp, so
// 8 u |f(x)| + 1e-6 absolute (erf's polynomial is good to ~1e-7). Pooling: max is exact;
// average sums at most kh*kw values: (kh*kw) u sum|x| / count. Against oneDNN, whose
// summation order differs, the bounds double.
#include <gtest/gtest.h>

#if HK_TEST_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#endif

#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "reference.h"
#include "test_util.h"

namespace {

constexpr double kU = 5.9604644775390625e-8;

// ---- references ------------------------------------------------------------------------------

bool exact_activation(hk::Activation k) {
    return k == hk::Activation::none || k == hk::Activation::relu ||
           k == hk::Activation::leaky_relu || k == hk::Activation::relu6;
}

double act_tol(double want, hk::Activation k) {
    return exact_activation(k) ? 0.0 : 8 * kU * std::fabs(want) + 1e-6;
}

// TensorFlow's padding rule, written from its documentation (independent of the library).
struct AxisRef {
    int out, before, after;
};
AxisRef axis_ref(int in, int k, int stride, int dilation, hk::Padding p, int pb, int pa) {
    const int k_eff = (k - 1) * dilation + 1;
    if (p == hk::Padding::valid) return {(in - k_eff) / stride + 1, 0, 0};
    if (p == hk::Padding::explicit_pads) return {(in + pb + pa - k_eff) / stride + 1, pb, pa};
    const int out = (in + stride - 1) / stride;
    const int total = std::max((out - 1) * stride + k_eff - in, 0);
    return {out, total / 2, total - total / 2};
}

struct ConvCase {
    const char *name;
    hk::Shape in;
    int kh, kw, in_per_group, out_channels;
    hk::Conv2DParams p;
};

struct ConvRef {
    ref::Image value, bound;  // bound: |bias| + sum |w x|
    AxisRef ax, ay;
    explicit ConvRef(hk::Shape s) : value(s), bound(s) {}
};

ConvRef conv_ref(const ref::Image &in, const std::vector<float> &w, const std::vector<float> &bias,
                 const ConvCase &c) {
    const hk::Conv2DParams &p = c.p;
    AxisRef ay = axis_ref(int(c.in.h), c.kh, p.stride_h, p.dilation_h, p.padding, p.pads.top, p.pads.bottom);
    AxisRef ax = axis_ref(int(c.in.w), c.kw, p.stride_w, p.dilation_w, p.padding, p.pads.left, p.pads.right);
    ConvRef r({c.in.n, ay.out, ax.out, c.out_channels});
    r.ax = ax;
    r.ay = ay;
    const int out_per_group = c.out_channels / p.groups;
    for (int64_t n = 0; n < c.in.n; n++)
        for (int y = 0; y < ay.out; y++)
            for (int x = 0; x < ax.out; x++)
                for (int o = 0; o < c.out_channels; o++) {
                    const int g = o / out_per_group;
                    double acc = bias[size_t(o)], mag = std::fabs(bias[size_t(o)]);
                    for (int ky = 0; ky < c.kh; ky++)
                        for (int kx = 0; kx < c.kw; kx++)
                            for (int i = 0; i < c.in_per_group; i++) {
                                const int iy = y * p.stride_h - ay.before + ky * p.dilation_h;
                                const int ix = x * p.stride_w - ax.before + kx * p.dilation_w;
                                if (iy < 0 || iy >= c.in.h || ix < 0 || ix >= c.in.w) continue;
                                const double v = in.at(n, iy, ix, g * c.in_per_group + i);
                                const double wt = w[size_t(((ky * c.kw + kx) * c.in_per_group + i) * c.out_channels + o)];
                                acc += wt * v;
                                mag += std::fabs(wt * v);
                            }
                    r.value.at(n, y, x, o) = float(ref::activation(acc, p.activation.kind, p.activation.alpha));
                    r.bound.at(n, y, x, o) = float(mag);
                }
    return r;
}

#if HK_TEST_HAVE_ONEDNN  // oneDNN oracle (absent in cross builds: the C++ reference remains)
// ---- oneDNN oracle ---------------------------------------------------------------------------

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine &cpu_engine() {
    static dnnl::engine e(dnnl::engine::kind::cpu, 0);
    return e;
}

memory::dims nchw(const hk::Shape &s) { return {s.n, s.c, s.h, s.w}; }

ref::Image onednn_conv(const ref::Image &in, std::vector<float> w, std::vector<float> bias,
                       const ConvCase &c, const ConvRef &r) {
    const hk::Conv2DParams &p = c.p;
    ref::Image out(r.value.shape);
    memory::desc src_md(nchw(in.shape), dt::f32, tag::nhwc), dst_md(nchw(out.shape), dt::f32, tag::nhwc);
    memory::desc bias_md({c.out_channels}, dt::f32, tag::a);
    memory::desc w_md = p.groups == 1
        ? memory::desc({c.out_channels, c.in_per_group, c.kh, c.kw}, dt::f32, tag::hwio)
        : memory::desc({p.groups, c.out_channels / p.groups, c.in_per_group, c.kh, c.kw}, dt::f32, tag::hwigo);
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                      src_md, w_md, bias_md, dst_md, {p.stride_h, p.stride_w},
                                      {p.dilation_h - 1, p.dilation_w - 1}, {r.ay.before, r.ax.before},
                                      {r.ay.after, r.ax.after});
    dnnl::convolution_forward::primitive_desc pd(d, cpu_engine());
    dnnl::stream s(cpu_engine());
    memory src(src_md, cpu_engine(), const_cast<float *>(in.data.data())), wm(w_md, cpu_engine(), w.data()),
        bm(bias_md, cpu_engine(), bias.data()), dst(dst_md, cpu_engine(), out.data.data());
    dnnl::convolution_forward(pd).execute(
        s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_BIAS, bm}, {DNNL_ARG_DST, dst}});
    s.wait();
    for (float &v : out.data) v = float(ref::activation(v, p.activation.kind, p.activation.alpha));
    return out;
}

#endif

// ---- conv2d ----------------------------------------------------------------------------------

hk::Conv2DParams conv_params(int sh, int sw, int dh, int dw, int groups, hk::Padding pad,
                             hk::Activation act = hk::Activation::none, hk::Pads pads = {}) {
    hk::Conv2DParams p;
    p.stride_h = sh;
    p.stride_w = sw;
    p.dilation_h = dh;
    p.dilation_w = dw;
    p.groups = groups;
    p.padding = pad;
    p.pads = pads;
    p.activation = {act, 0.1f};
    return p;
}

const ConvCase kConvCases[] = {
    {"seed_3x3_3to32_valid_relu", {1, 19, 23, 3}, 3, 3, 3, 32, conv_params(1, 1, 1, 1, 1, hk::Padding::valid, hk::Activation::relu)},
    {"same_3x3_batch2", {2, 13, 17, 5}, 3, 3, 5, 7, conv_params(1, 1, 1, 1, 1, hk::Padding::same)},
    {"same_even2x2_stride2", {1, 15, 16, 4}, 2, 2, 4, 5, conv_params(2, 2, 1, 1, 1, hk::Padding::same)},
    {"same_even4x4_stride3", {1, 17, 20, 2}, 4, 4, 2, 3, conv_params(3, 3, 1, 1, 1, hk::Padding::same, hk::Activation::leaky_relu)},
    {"same_5x2_stride_2x3", {1, 11, 14, 3}, 5, 2, 3, 4, conv_params(2, 3, 1, 1, 1, hk::Padding::same)},
    {"valid_dilated2", {1, 16, 18, 3}, 3, 3, 3, 8, conv_params(1, 1, 2, 2, 1, hk::Padding::valid, hk::Activation::relu6)},
    {"same_dilated_stride2", {1, 15, 15, 2}, 3, 3, 2, 4, conv_params(2, 2, 2, 3, 1, hk::Padding::same)},
    {"explicit_pads", {1, 12, 10, 3}, 5, 3, 3, 6, conv_params(2, 1, 1, 1, 1, hk::Padding::explicit_pads, hk::Activation::sigmoid, {1, 2, 0, 3})},
    {"groups2", {1, 9, 11, 4}, 3, 3, 2, 6, conv_params(1, 1, 1, 1, 2, hk::Padding::same, hk::Activation::tanh)},
    {"depthwise_multiplier2", {2, 10, 9, 3}, 3, 3, 1, 6, conv_params(1, 1, 1, 1, 3, hk::Padding::same, hk::Activation::gelu_erf)},
    {"pointwise_64to16", {1, 7, 9, 64}, 1, 1, 64, 16, conv_params(1, 1, 1, 1, 1, hk::Padding::valid, hk::Activation::gelu_tanh)},
    // 1x1 layers (the bench's 64 -> 256 among them) through each activation branch of the CPU
    // register blocks (none, relu, the general one), with tails in x and in the output
    // channels, batch 2, stride 2.
    {"pointwise_24to40_relu_batch2", {2, 5, 11, 24}, 1, 1, 24, 40, conv_params(1, 1, 1, 1, 1, hk::Padding::same, hk::Activation::relu)},
    {"pointwise_8to32_stride2", {1, 9, 13, 8}, 1, 1, 8, 32, conv_params(2, 2, 1, 1, 1, hk::Padding::same, hk::Activation::sigmoid)},
    {"pointwise_64to256", {1, 3, 14, 64}, 1, 1, 64, 256, conv_params(1, 1, 1, 1, 1, hk::Padding::valid)},
    {"tiny_input_same_5x5", {1, 2, 3, 1}, 5, 5, 1, 2, conv_params(1, 1, 1, 1, 1, hk::Padding::same)},
    // The few-input-channel reduction (<= 4 input channels, no groups or dilation): full register
    // blocks and their tails in x and in the output channels, both batch images, each staging
    // form (C = 1 and 3 dense copies, C = 2 and 4 the general one).
    {"few_3to32_same_relu_wide", {1, 21, 45, 3}, 3, 3, 3, 32, conv_params(1, 1, 1, 1, 1, hk::Padding::same, hk::Activation::relu)},
    {"few_1to40_same_batch2", {2, 9, 30, 1}, 3, 3, 1, 40, conv_params(1, 1, 1, 1, 1, hk::Padding::same)},
    {"few_3to5_valid_5x5_stride2_sigmoid", {1, 14, 26, 3}, 5, 5, 3, 5, conv_params(2, 2, 1, 1, 1, hk::Padding::valid, hk::Activation::sigmoid)},
    {"few_4to17_same_7x1", {1, 8, 33, 4}, 7, 1, 4, 17, conv_params(1, 1, 1, 1, 1, hk::Padding::same)},
    // A dilated window of 2001 x 2001 pixels: the CPU schedule once staged the zero-padded input
    // under it for every output row (2001 x 4100 x 128 floats, 4.2 GB) and failed.
    {"huge_dilation_1000", {1, 8, 2100, 128}, 3, 3, 128, 4, conv_params(1, 1, 1000, 1000, 1, hk::Padding::same)},
};

struct ConvParam {
    hk::Device device;
    ConvCase c;
};

class Conv2DTest : public ::testing::TestWithParam<ConvParam> {};

TEST_P(Conv2DTest, MatchesReferenceAndOneDNN) {
    const ConvParam &cp = GetParam();
    const ConvCase &c = cp.c;
    HK_REQUIRE_DEVICE(cp.device);
    const ref::Image in = ref::random_image(c.in, 77);
    const ref::Image w_img = ref::random_image({1, 1, 1, int64_t(c.kh) * c.kw * c.in_per_group * c.out_channels}, 78);
    const ref::Image b_img = ref::random_image({1, 1, 1, c.out_channels}, 79);
    const std::vector<float> &w = w_img.data, &bias = b_img.data;

    const ConvRef want = conv_ref(in, w, bias, c);
    hk::FilterView fv{w.data(), c.kh, c.kw, c.in_per_group, c.out_channels};
    hk::Shape shape;
    ASSERT_TRUE(hk::output_shape(c.in, hk::Conv2DLayer{fv, nullptr, c.p}, &shape).ok());
    ASSERT_EQ(shape, want.value.shape) << "output shape differs from TensorFlow's padding rule";
    ref::Image out(shape, NAN);
    hk::Status s = hk::conv2d(in.cview(), fv, bias.data(), out.view(), c.p, cp.device);
    ASSERT_TRUE(s.ok()) << s.to_string();

    const int K = c.kh * c.kw * c.in_per_group;
    int64_t bad = 0, bad_dnnl = 0;
#if HK_TEST_HAVE_ONEDNN
    const ref::Image dnnl_out = onednn_conv(in, w, bias, c, want);
#else
    const ref::Image &dnnl_out = out;  // no oneDNN in this build: the C++ reference only
#endif
    double worst = 0;
    for (size_t i = 0; i < out.data.size(); i++) {
        const double wv = want.value.data[i];
        const double tol = (K + 1) * kU * want.bound.data[i] + act_tol(wv, c.p.activation.kind) + 1e-7;
        const double err = std::fabs(out.data[i] - wv);
        worst = std::max(worst, err / tol);
        bad += !(err <= tol);
        bad_dnnl += !(std::fabs(out.data[i] - dnnl_out.data[i]) <= 2 * tol);
    }
    EXPECT_EQ(bad, 0) << c.name << ": elements off the C++ reference (worst error/tolerance " << worst << ")";
    EXPECT_EQ(bad_dnnl, 0) << c.name << ": elements off oneDNN";

    // Packed once (from copies then overwritten: pack() must have copied them), the same result
    // bit for bit: the same taps in the same order, only the weights' row stride may differ.
    std::vector<float> w_copy = w, bias_copy = bias;
    hk::PackedConv2DWeights packed;
    ASSERT_TRUE(hk::PackedConv2DWeights::pack({w_copy.data(), c.kh, c.kw, c.in_per_group, c.out_channels},
                                              bias_copy.data(), &packed)
                    .ok());
    std::fill(w_copy.begin(), w_copy.end(), NAN);
    std::fill(bias_copy.begin(), bias_copy.end(), NAN);
    ref::Image out_packed(shape, NAN);
    s = hk::conv2d(in.cview(), packed, out_packed.view(), c.p, cp.device);
    ASSERT_TRUE(s.ok()) << s.to_string();
    EXPECT_EQ(std::memcmp(out_packed.data.data(), out.data.data(), out.data.size() * sizeof(float)), 0)
        << c.name << ": packed weights give another result than the HWIO call";
}

std::vector<ConvParam> conv_params_all() {
    std::vector<ConvParam> v;
    for (hk::Device d : {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda})
        for (const ConvCase &c : kConvCases) v.push_back({d, c});
    return v;
}

INSTANTIATE_TEST_SUITE_P(All, Conv2DTest, ::testing::ValuesIn(conv_params_all()),
                         [](const ::testing::TestParamInfo<ConvParam> &i) {
                             return std::string(hk::to_string(i.param.device)) + "_" + i.param.c.name;
                         });

// An RGB view of an RGBA buffer (x stride 4, not 3): the few-input-channel path stages it with
// gathers instead of the dense RGB copy; the result must be the packed copy's, bit for bit (the
// same taps in the same order).
class Conv2DViewTest : public ::testing::TestWithParam<hk::Device> {};

TEST_P(Conv2DViewTest, RgbViewOfRgbaBufferEqualsPackedRgb) {
    HK_REQUIRE_DEVICE(GetParam());
    const hk::Shape rgb{2, 13, 37, 3};
    const ref::Image rgba = ref::random_image({rgb.n, rgb.h, rgb.w, 4}, 81);
    hk::ConstTensor view;
    view.data = rgba.data.data();
    view.shape = rgb;
    view.stride_c = 1, view.stride_w = 4, view.stride_h = 4 * rgb.w, view.stride_n = 4 * rgb.w * rgb.h;
    ref::Image packed(rgb, 0.0f);
    for (int64_t n = 0; n < rgb.n; n++)
        for (int64_t y = 0; y < rgb.h; y++)
            for (int64_t x = 0; x < rgb.w; x++)
                for (int64_t c = 0; c < 3; c++) packed.view().at(n, y, x, c) = view.at(n, y, x, c);
    const ref::Image w = ref::random_image({1, 1, 1, 3 * 3 * 3 * 32}, 82);
    const hk::FilterView fv{w.data.data(), 3, 3, 3, 32};
    const hk::Conv2DParams p = conv_params(1, 1, 1, 1, 1, hk::Padding::same, hk::Activation::relu);
    hk::Shape shape;
    ASSERT_TRUE(hk::output_shape(rgb, hk::Conv2DLayer{fv, nullptr, p}, &shape).ok());
    ref::Image from_view(shape, NAN), from_packed(shape, NAN);
    ASSERT_TRUE(hk::conv2d(view, fv, nullptr, from_view.view(), p, GetParam()).ok());
    ASSERT_TRUE(hk::conv2d(packed.cview(), fv, nullptr, from_packed.view(), p, GetParam()).ok());
    EXPECT_EQ(from_view.data, from_packed.data);
    int64_t positive = 0;  // relu of random taps: about half the outputs, none of them NaN
    for (float v : from_view.data) positive += v > 0;
    EXPECT_GT(positive, int64_t(from_view.data.size()) / 4);
}

INSTANTIATE_TEST_SUITE_P(All, Conv2DViewTest, ::testing::Values(hk::Device::cpu, hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

// Hand-computed TensorFlow SAME arithmetic, so the rule itself is pinned, not just re-derived.
TEST(Conv2DShapes, TensorFlowSamePadding) {
    float w = 1;
    struct {
        int in, k, stride, dilation, out;
    } cases[] = {
        {5, 2, 2, 1, 3},   // pad 1: 0 before, 1 after
        {10, 4, 3, 1, 4},  // (4-1)*3+4-10 = 3: 1 before, 2 after
        {7, 3, 1, 2, 7},   // k_eff 5: pad 4
        {1, 3, 3, 1, 1},
    };
    for (auto c : cases) {
        hk::Conv2DParams p = conv_params(c.stride, c.stride, c.dilation, c.dilation, 1, hk::Padding::same);
        hk::Shape out;
        std::vector<float> wts(size_t(c.k * c.k), w);
        ASSERT_TRUE(hk::output_shape({1, c.in, c.in, 1}, hk::Conv2DLayer{{wts.data(), c.k, c.k, 1, 1}, nullptr, p}, &out).ok());
        EXPECT_EQ(out.h, c.out);
        EXPECT_EQ(out.w, c.out);
    }
    // Even kernel, stride 2: in 4, k 2 -> out 2, no padding; a box of ones sums 2x2 blocks.
    ref::Image in({1, 4, 4, 1});
    for (size_t i = 0; i < in.data.size(); i++) in.data[i] = float(i);
    std::vector<float> ones(4, 1.0f);
    ref::Image out({1, 2, 2, 1});
    ASSERT_TRUE(hk::conv2d(in.cview(), {ones.data(), 2, 2, 1, 1}, nullptr, out.view(),
                           conv_params(2, 2, 1, 1, 1, hk::Padding::same), hk::Device::cpu).ok());
    EXPECT_EQ(out.data, (std::vector<float>{0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15}));
    // in 5, k 2, stride 2: pad 1 after only, so the last window sees x = 4 and a zero.
    ref::Image in5({1, 1, 5, 1});
    for (int i = 0; i < 5; i++) in5.data[size_t(i)] = float(i + 1);
    ref::Image out3({1, 1, 3, 1});
    ASSERT_TRUE(hk::conv2d(in5.cview(), {ones.data(), 1, 2, 1, 1}, nullptr, out3.view(),
                           conv_params(1, 2, 1, 1, 1, hk::Padding::same), hk::Device::cpu).ok());
    EXPECT_EQ(out3.data, (std::vector<float>{1 + 2, 3 + 4, 5 + 0}));
}

// ---- pooling ---------------------------------------------------------------------------------

struct PoolCase {
    const char *name;
    hk::Shape in;
    hk::Pool2DParams p;
};

hk::Pool2DParams pool(hk::PoolKind k, int wh, int ww, int sh, int sw, hk::Padding pad,
                      bool include = false, hk::Pads pads = {}) {
    hk::Pool2DParams p;
    p.kind = k;
    p.window_h = wh;
    p.window_w = ww;
    p.stride_h = sh;
    p.stride_w = sw;
    p.padding = pad;
    p.count_include_pad = include;
    p.pads = pads;
    return p;
}

const PoolCase kPoolCases[] = {
    {"max_2x2_s2_valid_c1", {1, 64, 64, 1}, pool(hk::PoolKind::max, 2, 2, 2, 2, hk::Padding::valid)},
    {"max_3x3_s2_same_c16", {2, 15, 13, 16}, pool(hk::PoolKind::max, 3, 3, 2, 2, hk::Padding::same)},
    {"max_2x2_s3_same_c3", {1, 11, 10, 3}, pool(hk::PoolKind::max, 2, 2, 3, 3, hk::Padding::same)},
    {"avg_3x3_s1_same_exclude_c3", {1, 9, 12, 3}, pool(hk::PoolKind::average, 3, 3, 1, 1, hk::Padding::same)},
    {"avg_2x2_s2_same_include_c20", {1, 7, 9, 20}, pool(hk::PoolKind::average, 2, 2, 2, 2, hk::Padding::same, true)},
    {"avg_4x4_s3_same_exclude_c1", {1, 10, 14, 1}, pool(hk::PoolKind::average, 4, 4, 3, 3, hk::Padding::same)},
    {"avg_3x2_s3x2_explicit_c5", {1, 10, 8, 5}, pool(hk::PoolKind::average, 3, 2, 3, 2, hk::Padding::explicit_pads, false, {1, 1, 0, 1})},
    // The CPU schedule's branches: 1, 2 and 4 channel vectors per pixel (AVX-512: 16, 32, 64
    // channels; AVX2: 8, 16, 32), guarded tails, the 2x2 window, an odd size padded SAME.
    {"max_2x2_s2_valid_c64", {2, 18, 14, 64}, pool(hk::PoolKind::max, 2, 2, 2, 2, hk::Padding::valid)},
    {"avg_2x2_s2_same_c70", {1, 9, 11, 70}, pool(hk::PoolKind::average, 2, 2, 2, 2, hk::Padding::same)},
    {"max_2x2_s2_same_c40", {1, 7, 10, 40}, pool(hk::PoolKind::max, 2, 2, 2, 2, hk::Padding::same)},
    {"avg_2x2_s2_valid_c17", {1, 12, 8, 17}, pool(hk::PoolKind::average, 2, 2, 2, 2, hk::Padding::valid)},
    {"max_3x3_s1_same_c33", {1, 6, 7, 33}, pool(hk::PoolKind::max, 3, 3, 1, 1, hk::Padding::same)},
};

struct PoolParam {
    hk::Device device;
    PoolCase c;
};

class Pool2DTest : public ::testing::TestWithParam<PoolParam> {};

TEST_P(Pool2DTest, MatchesReferenceAndOneDNN) {
    const PoolParam &pp = GetParam();
    const PoolCase &c = pp.c;
    const hk::Pool2DParams &p = c.p;
    HK_REQUIRE_DEVICE(pp.device);
    const ref::Image in = ref::random_image(c.in, 31, -5.f, 5.f);
    const AxisRef ay = axis_ref(int(c.in.h), p.window_h, p.stride_h, 1, p.padding, p.pads.top, p.pads.bottom);
    const AxisRef ax = axis_ref(int(c.in.w), p.window_w, p.stride_w, 1, p.padding, p.pads.left, p.pads.right);
    ref::Image want({c.in.n, ay.out, ax.out, c.in.c}), tol(want.shape);
    for (int64_t n = 0; n < c.in.n; n++)
        for (int y = 0; y < ay.out; y++)
            for (int x = 0; x < ax.out; x++)
                for (int64_t ch = 0; ch < c.in.c; ch++) {
                    double mx = -INFINITY, sum = 0, mag = 0;
                    int count = 0;
                    for (int wy = 0; wy < p.window_h; wy++)
                        for (int wx = 0; wx < p.window_w; wx++) {
                            const int iy = y * p.stride_h - ay.before + wy, ix = x * p.stride_w - ax.before + wx;
                            if (iy < 0 || iy >= c.in.h || ix < 0 || ix >= c.in.w) continue;
                            const double v = in.at(n, iy, ix, ch);
                            mx = std::max(mx, v);
                            sum += v;
                            mag += std::fabs(v);
                            count++;
                        }
                    const int div = p.count_include_pad ? p.window_h * p.window_w : count;
                    want.at(n, y, x, ch) = float(p.kind == hk::PoolKind::max ? mx : sum / div);
                    tol.at(n, y, x, ch) = p.kind == hk::PoolKind::max ? 0.f
                        : float(p.window_h * p.window_w * kU * mag / div + 1e-7);
                }
    hk::Shape shape;
    ASSERT_TRUE(hk::output_shape(c.in, p, &shape).ok());
    ASSERT_EQ(shape, want.shape);
    ref::Image out(shape, NAN);
    hk::Status s = hk::pool2d(in.cview(), out.view(), p, pp.device);
    ASSERT_TRUE(s.ok()) << s.to_string();

#if HK_TEST_HAVE_ONEDNN
    ref::Image dnnl_out(shape);
    memory::desc src_md(nchw(c.in), dt::f32, tag::nhwc), dst_md(nchw(shape), dt::f32, tag::nhwc);
    const auto alg = p.kind == hk::PoolKind::max ? dnnl::algorithm::pooling_max
                     : p.count_include_pad       ? dnnl::algorithm::pooling_avg_include_padding
                                                 : dnnl::algorithm::pooling_avg_exclude_padding;
    dnnl::pooling_forward::desc d(dnnl::prop_kind::forward_inference, alg, src_md, dst_md,
                                  {p.stride_h, p.stride_w}, {p.window_h, p.window_w},
                                  {ay.before, ax.before}, {ay.after, ax.after});
    dnnl::pooling_forward::primitive_desc pd(d, cpu_engine());
    dnnl::stream st(cpu_engine());
    memory src(src_md, cpu_engine(), const_cast<float *>(in.data.data())), dst(dst_md, cpu_engine(), dnnl_out.data.data());
    dnnl::pooling_forward(pd).execute(st, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    st.wait();
#else
    const ref::Image &dnnl_out = out;  // no oneDNN in this build: the C++ reference only
#endif

    int64_t bad = 0, bad_dnnl = 0;
    for (size_t i = 0; i < out.data.size(); i++) {
        bad += !(std::fabs(out.data[i] - want.data[i]) <= tol.data[i]);
        bad_dnnl += !(std::fabs(out.data[i] - dnnl_out.data[i]) <= 2 * tol.data[i] + 1e-6);
    }
    EXPECT_EQ(bad, 0) << c.name << ": elements off the C++ reference";
    EXPECT_EQ(bad_dnnl, 0) << c.name << ": elements off oneDNN";
}

std::vector<PoolParam> pool_params_all() {
    std::vector<PoolParam> v;
    for (hk::Device d : {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda})
        for (const PoolCase &c : kPoolCases) v.push_back({d, c});
    return v;
}

INSTANTIATE_TEST_SUITE_P(All, Pool2DTest, ::testing::ValuesIn(pool_params_all()),
                         [](const ::testing::TestParamInfo<PoolParam> &i) {
                             return std::string(hk::to_string(i.param.device)) + "_" + i.param.c.name;
                         });

// ---- activations -----------------------------------------------------------------------------

class ActivationTest : public ::testing::TestWithParam<hktest::DeviceActivation> {};

TEST_P(ActivationTest, MatchesReferenceAndOneDNN) {
    const hktest::DeviceActivation ap = GetParam();
    HK_REQUIRE_DEVICE(ap.device);
    const hk::Shape shape{2, 13, 21, 5};
    ref::Image in = ref::random_image(shape, 11, -9.f, 9.f);
    in.data[0] = 0.f;  // the kinks
    in.data[1] = 6.f;
    in.data[2] = -0.f;
    const hk::ActivationParams p{ap.kind, 0.25f};
    ref::Image out(shape, NAN);
    hk::Status s = hk::activation(in.cview(), out.view(), p, ap.device);
    ASSERT_TRUE(s.ok()) << s.to_string();

#if HK_TEST_HAVE_ONEDNN
    // oneDNN's eltwise (activation none has no eltwise: compare to the input itself).
    ref::Image dnnl_out = in;
    if (ap.kind != hk::Activation::none) {
        dnnl::algorithm alg;
        float a = 0, b = 0;
        switch (ap.kind) {
        case hk::Activation::relu: alg = dnnl::algorithm::eltwise_relu; break;
        case hk::Activation::leaky_relu: alg = dnnl::algorithm::eltwise_relu; a = p.alpha; break;
        case hk::Activation::relu6: alg = dnnl::algorithm::eltwise_clip; a = 0; b = 6; break;
        case hk::Activation::sigmoid: alg = dnnl::algorithm::eltwise_logistic; break;
        case hk::Activation::tanh: alg = dnnl::algorithm::eltwise_tanh; break;
        case hk::Activation::gelu_erf: alg = dnnl::algorithm::eltwise_gelu_erf; break;
        default: alg = dnnl::algorithm::eltwise_gelu_tanh; break;
        }
        memory::desc md(nchw(shape), dt::f32, tag::nhwc);
        dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, alg, md, a, b);
        dnnl::eltwise_forward::primitive_desc pd(d, cpu_engine());
        dnnl::stream st(cpu_engine());
        memory src(md, cpu_engine(), in.data.data()), dst(md, cpu_engine(), dnnl_out.data.data());
        dnnl::eltwise_forward(pd).execute(st, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
        st.wait();
    }
#else
    const ref::Image &dnnl_out = out;  // no oneDNN in this build: the C++ reference only
#endif
    int64_t bad = 0, bad_dnnl = 0;
    double worst = 0;
    for (size_t i = 0; i < out.data.size(); i++) {
        const double want = ref::activation(in.data[i], ap.kind, p.alpha);
        const double tol = act_tol(want, ap.kind);
        const double err = std::fabs(out.data[i] - want);
        worst = std::max(worst, err);
        bad += !(err <= tol);
        // oneDNN's own approximations (its logistic/tanh/gelu kernels) are looser than ours.
        bad_dnnl += !(std::fabs(out.data[i] - dnnl_out.data[i]) <= 2 * tol + (exact_activation(ap.kind) ? 0 : 1e-5));
    }
    EXPECT_EQ(bad, 0) << hktest::name_of(ap.kind) << ": worst error " << worst;
    EXPECT_EQ(bad_dnnl, 0) << hktest::name_of(ap.kind) << " vs oneDNN";

    // In place: the same view as input and output.
    ref::Image inplace = in;
    ASSERT_TRUE(hk::activation(inplace.cview(), inplace.view(), p, ap.device).ok());
    EXPECT_EQ(inplace.data, out.data);
}

// Every float step of 2^-13 across [-10, 10] (163841 values): the whole range where the
// approximations (exp, tanh, erf) are used, and where each kind saturates.
TEST_P(ActivationTest, DenseSweepMatchesReference) {
    const hktest::DeviceActivation ap = GetParam();
    HK_REQUIRE_DEVICE(ap.device);
    std::vector<float> in;
    for (int i = -10 * 8192; i <= 10 * 8192; i++) in.push_back(float(i) / 8192.f);
    const hk::Shape shape{1, 1, int64_t(in.size()), 1};
    std::vector<float> out(in.size(), NAN);
    const hk::ActivationParams p{ap.kind, 0.25f};
    hk::Status s = hk::activation(hk::ConstTensor::dense(in.data(), shape), hk::Tensor::dense(out.data(), shape), p,
                                  ap.device);
    ASSERT_TRUE(s.ok()) << s.to_string();
    int64_t bad = 0;
    double worst = 0, worst_at = 0;
    for (size_t i = 0; i < in.size(); i++) {
        const double want = ref::activation(in[i], ap.kind, p.alpha);
        const double err = std::fabs(out[i] - want);
        if (err > worst) worst = err, worst_at = in[i];
        bad += !(err <= act_tol(want, ap.kind));
    }
    EXPECT_EQ(bad, 0) << hktest::name_of(ap.kind) << ": worst error " << worst << " at " << worst_at;
    char worst_text[64];
    std::snprintf(worst_text, sizeof worst_text, "%.3g at %.6g", worst, worst_at);
    RecordProperty("worst_error", worst_text);
}

INSTANTIATE_TEST_SUITE_P(All, ActivationTest, ::testing::ValuesIn(hktest::every_device_and_activation()),
                         hktest::device_activation_name);

}  // namespace

namespace {

// One rule for defaults: a layer's parameters default as its Keras layer does (Conv2D and
// MaxPooling2D pad VALID; activation=None), so a struct left as is computes what Keras would.
TEST(Defaults, LayersDefaultAsKeras) {
    EXPECT_EQ(hk::ActivationParams{}.kind, hk::Activation::none);
    EXPECT_EQ(hk::Conv2DParams{}.padding, hk::Padding::valid);
    EXPECT_EQ(hk::Conv2DParams{}.activation.kind, hk::Activation::none);
    const hk::Pool2DParams pool;
    EXPECT_EQ(pool.padding, hk::Padding::valid);
    EXPECT_EQ(pool.window_h * pool.window_w * pool.stride_h * pool.stride_w, 16);
    EXPECT_EQ(hk::Filter2DParams{}.activation.kind, hk::Activation::none);
    // And so does the computation: a 3x3 conv2d with default parameters shrinks 5x5 to 3x3.
    std::vector<float> w(9, 1.f);
    hk::Shape out;
    ASSERT_TRUE(hk::output_shape({1, 5, 5, 1}, hk::Conv2DLayer{{w.data(), 3, 3, 1, 1}, nullptr, {}}, &out).ok());
    EXPECT_EQ(out, (hk::Shape{1, 3, 3, 1}));
}

}  // namespace

// Bad input gets a clear Status naming the problem; nothing aborts and nothing is written.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "reference.h"
#include "test_util.h"

namespace {

using hk::StatusCode;

hk::GaborParams good_gabor() {
    hk::GaborParams p;
    p.ksize_w = p.ksize_h = 5;
    p.sigma = 2;
    p.lambda = 4;
    return p;
}

hk::BoxFilterParams good_box() {
    hk::BoxFilterParams p;
    p.ksize_w = p.ksize_h = 3;
    return p;
}

class Errors : public ::testing::Test {
protected:
    ref::Image in = ref::random_image({1, 8, 8, 1}, 7);
    ref::Image out{hk::Shape{1, 8, 8, 1}, 42.f};

    // The status has `code`, its message mentions `needle`, and the output is untouched.
    void expect_error(const hk::Status &s, StatusCode code, const std::string &needle) {
        EXPECT_EQ(s.code(), code) << s.to_string();
        EXPECT_NE(s.message().find(needle), std::string::npos)
            << "message \"" << s.message() << "\" does not mention \"" << needle << "\"";
        for (float v : out.data) ASSERT_EQ(v, 42.f) << "output was written despite the error";
    }
};

TEST_F(Errors, PackedConv2DWeights) {
    std::vector<float> w(3 * 3 * 1 * 4, 0.5f);
    hk::PackedConv2DWeights packed;
    EXPECT_TRUE(packed.empty());
    expect_error(hk::conv2d(in.cview(), packed, out.view(), {}), StatusCode::invalid_argument,
                 "conv2d: the packed weights are empty");
    expect_error(hk::PackedConv2DWeights::pack({nullptr, 3, 3, 1, 4}, nullptr, &packed), StatusCode::invalid_argument,
                 "PackedConv2DWeights::pack: weights data is null");
    expect_error(hk::PackedConv2DWeights::pack({w.data(), 3, 0, 1, 4}, nullptr, &packed), StatusCode::invalid_argument,
                 "weights kw = 0");
    expect_error(hk::PackedConv2DWeights::pack({w.data(), 3, 3, 1, 4}, nullptr, nullptr), StatusCode::invalid_argument,
                 "out");
    EXPECT_TRUE(packed.empty()) << "a failed pack() left weights behind";
    ASSERT_TRUE(hk::PackedConv2DWeights::pack({w.data(), 3, 3, 1, 4}, nullptr, &packed).ok());
    const hk::FilterView shape = packed.shape();
    EXPECT_EQ(shape.data, nullptr);
    EXPECT_EQ(shape.kh * 1000 + shape.kw * 100 + shape.in_channels * 10 + shape.out_channels, 3314);
    // Packed for 1 input channel, run on 2: named like the HWIO call's mismatch.
    const ref::Image two = ref::random_image({1, 8, 8, 2}, 8);
    ref::Image wide(hk::Shape{1, 8, 8, 4}, 42.f);
    const hk::Status s = hk::conv2d(two.cview(), packed, wide.view(), {});
    EXPECT_EQ(s.code(), StatusCode::shape_mismatch) << s.to_string();
    EXPECT_NE(s.message().find("input has 2 channels but weights [3, 3, 1, 4]"), std::string::npos) << s.to_string();
    for (float v : wide.data) ASSERT_EQ(v, 42.f);
}

TEST_F(Errors, NullData) {
    hk::ConstTensor bad_in = in.cview();
    bad_in.data = nullptr;
    expect_error(hk::gabor(bad_in, out.view(), good_gabor()), StatusCode::invalid_argument,
                 "input: data is null");
    hk::Tensor bad_out = out.view();
    bad_out.data = nullptr;
    expect_error(hk::box_filter(in.cview(), bad_out, good_box()), StatusCode::invalid_argument,
                 "output: data is null");
}

TEST_F(Errors, ZeroNegativeAndOverflowingSizes) {
    for (hk::Shape s : {hk::Shape{0, 8, 8, 1}, hk::Shape{1, -3, 8, 1}, hk::Shape{1, 8, 0, 1},
                        hk::Shape{1, 8, 8, -1}, hk::Shape{1, int64_t(1) << 40, 8, 1}}) {
        hk::ConstTensor bad = hk::ConstTensor::dense(in.data.data(), s);
        expect_error(hk::box_filter(bad, out.view(), good_box()), StatusCode::invalid_argument,
                     "every dimension must be in [1,");
    }
    // Each size fits, but the tensor would span more than Halide's 32-bit offsets: never read.
    hk::ConstTensor huge = hk::ConstTensor::dense(in.data.data(), {64, 4096, 4096, 3});
    expect_error(hk::gabor(huge, out.view(), good_gabor()), StatusCode::unsupported, "2 GiB");
}

TEST_F(Errors, BadStrides) {
    hk::ConstTensor planar = in.cview();
    planar.stride_c = 64;
    expect_error(hk::gabor(planar, out.view(), good_gabor()), StatusCode::unsupported, "stride_c");
    hk::Tensor overlapping = out.view();
    overlapping.stride_w = 0;
    expect_error(hk::box_filter(in.cview(), overlapping, good_box()), StatusCode::invalid_argument,
                 "stride_w");
    overlapping = out.view();
    overlapping.stride_h = 4;  // rows of 8 pixels, 4 apart: rows overlap
    expect_error(hk::box_filter(in.cview(), overlapping, good_box()), StatusCode::invalid_argument,
                 "overlap");
}

TEST_F(Errors, OutputAliasesInput) {
    hk::Tensor in_place = out.view();
    expect_error(hk::box_filter(in_place, in_place, good_box()), StatusCode::invalid_argument,
                 "overlaps the input");
    // Partial overlap: the output starts inside the input's memory.
    std::vector<float> buf(200, 42.f);
    hk::ConstTensor a = hk::ConstTensor::dense(buf.data(), {1, 8, 8, 1});
    hk::Tensor b = hk::Tensor::dense(buf.data() + 60, {1, 8, 8, 1});
    hk::Status s = hk::gabor(a, b, good_gabor());
    EXPECT_EQ(s.code(), StatusCode::invalid_argument) << s.to_string();
    // The exact boundary: an output starting one float before the input's end overlaps it,
    // one starting right after does not.
    hk::Tensor touching = hk::Tensor::dense(buf.data() + 63, {1, 8, 8, 1});
    EXPECT_EQ(hk::box_filter(a, touching, good_box()).code(), StatusCode::invalid_argument);
    hk::Tensor adjacent = hk::Tensor::dense(buf.data() + 64, {1, 8, 8, 1});
    EXPECT_TRUE(hk::box_filter(a, adjacent, good_box()).ok());
}

TEST_F(Errors, OutputShapeMismatch) {
    ref::Image small({1, 6, 8, 1}, 42.f);
    hk::Status s = hk::gabor(in.cview(), small.view(), good_gabor());
    EXPECT_EQ(s.code(), StatusCode::shape_mismatch);
    EXPECT_NE(s.message().find("[n=1, h=8, w=8, c=1]"), std::string::npos) << s.message();
    ref::Image wrong_channels({1, 8, 8, 3}, 42.f);
    s = hk::box_filter(in.cview(), wrong_channels.view(), good_box());
    EXPECT_EQ(s.code(), StatusCode::shape_mismatch) << s.to_string();
    hk::BoxFilterParams valid = good_box();
    valid.padding = hk::Padding::valid;  // expects 6x6
    expect_error(hk::box_filter(in.cview(), out.view(), valid), StatusCode::shape_mismatch,
                 "[n=1, h=6, w=6, c=1]");
    hk::GaborParams big = good_gabor();
    big.ksize_w = big.ksize_h = 11;
    big.padding = hk::Padding::valid;
    expect_error(hk::gabor(in.cview(), out.view(), big), StatusCode::shape_mismatch,
                 "smaller than the kernel");
}

TEST_F(Errors, GaborParametersThatOverflowFloat) {
    hk::GaborParams p = good_gabor();
    p.sigma = 1e-30;  // -1/(2 sigma^2) is not a float
    expect_error(hk::gabor(in.cview(), out.view(), p), StatusCode::invalid_argument, "overflow");
    p = good_gabor();
    p.lambda = 1e-300;
    expect_error(hk::gabor(in.cview(), out.view(), p), StatusCode::invalid_argument, "overflow");
}

TEST_F(Errors, KernelSize) {
    for (int k : {0, -5, hk::kMaxKernelSize + 1}) {
        hk::GaborParams g = good_gabor();
        g.ksize_h = k;
        expect_error(hk::gabor(in.cview(), out.view(), g), StatusCode::invalid_argument, "ksize");
        hk::BoxFilterParams b = good_box();
        b.ksize_w = k;
        expect_error(hk::box_filter(in.cview(), out.view(), b), StatusCode::invalid_argument, "ksize");
    }
}

TEST_F(Errors, GaborParameters) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    struct Bad {
        double hk::GaborParams::*field;
        double value;
        const char *needle;
    } cases[] = {
        {&hk::GaborParams::sigma, 0, "sigma"},   {&hk::GaborParams::sigma, -1, "sigma"},
        {&hk::GaborParams::lambda, 0, "lambda"}, {&hk::GaborParams::lambda, -2, "lambda"},
        {&hk::GaborParams::gamma, 0, "gamma"},   {&hk::GaborParams::sigma, nan, "finite"},
        {&hk::GaborParams::theta, inf, "finite"}, {&hk::GaborParams::psi, nan, "finite"},
    };
    for (const Bad &b : cases) {
        hk::GaborParams p = good_gabor();
        p.*b.field = b.value;
        expect_error(hk::gabor(in.cview(), out.view(), p), StatusCode::invalid_argument, b.needle);
    }
}

TEST_F(Errors, InvalidEnums) {
    hk::BoxFilterParams b = good_box();
    b.border = static_cast<hk::Border>(7);
    expect_error(hk::box_filter(in.cview(), out.view(), b), StatusCode::invalid_argument, "border");
    b = good_box();
    b.padding = static_cast<hk::Padding>(-1);
    expect_error(hk::box_filter(in.cview(), out.view(), b), StatusCode::invalid_argument, "padding");
    expect_error(hk::box_filter(in.cview(), out.view(), good_box(), static_cast<hk::Device>(9)),
                 StatusCode::invalid_argument, "device");
}

TEST_F(Errors, DeviceOutOfRange) {
    hk::Status s = hk::check_device(static_cast<hk::Device>(9));
    EXPECT_EQ(s.code(), StatusCode::invalid_argument) << s.to_string();
    EXPECT_NE(s.message().find("device = 9"), std::string::npos) << s.message();
    EXPECT_EQ(hk::check_device(static_cast<hk::Device>(-1)).code(), StatusCode::invalid_argument);
}

TEST_F(Errors, LowRankOutOfRange) {
    hk::GaborParams g = good_gabor();
    g.low_rank = static_cast<hk::LowRank>(7);
    expect_error(hk::gabor(in.cview(), out.view(), g), StatusCode::invalid_argument, "low_rank = 7");
    const float kernel[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
    hk::Filter2DParams f;
    f.kernel = kernel;
    f.kw = f.kh = 3;
    f.low_rank = static_cast<hk::LowRank>(7);
    expect_error(hk::filter2d(in.cview(), out.view(), f), StatusCode::invalid_argument, "filter2d: low_rank");
}

TEST_F(Errors, MissingDeviceIsAnErrorNotACrash) {
    for (hk::Device d : {hk::Device::cuda, hk::Device::opencl}) {
        if (hk::check_device(d).ok()) continue;  // present here: nothing to test
        hk::Status s = hk::gabor(in.cview(), out.view(), good_gabor(), d);
        expect_error(s, StatusCode::device_unavailable, "not available");
        std::cout << "[ info ] " << s.to_string() << "\n";
    }
}

TEST(Threads, RejectsNonPositive) {
    EXPECT_EQ(hk::set_num_threads(0).code(), StatusCode::invalid_argument);
    EXPECT_EQ(hk::set_num_threads(-4).code(), StatusCode::invalid_argument);
    const int before = hk::num_threads();
    ASSERT_TRUE(hk::set_num_threads(1).ok());
    EXPECT_EQ(hk::num_threads(), 1);
    ASSERT_TRUE(hk::set_num_threads(before).ok());
}

}  // namespace

namespace {

// Layers and the new filters: each bad input names its problem; the output stays untouched.
class LayerErrors : public ::testing::Test {
protected:
    ref::Image in = ref::random_image({1, 8, 8, 3}, 17);
    ref::Image out{hk::Shape{1, 8, 8, 4}, 42.f};
    std::vector<float> w = std::vector<float>(3 * 3 * 3 * 4, 0.5f);

    void expect_error(const hk::Status &s, hk::StatusCode code, const std::string &needle) {
        EXPECT_EQ(s.code(), code) << s.to_string();
        EXPECT_NE(s.message().find(needle), std::string::npos) << "\"" << s.message() << "\" lacks \"" << needle << "\"";
        for (float v : out.data) ASSERT_EQ(v, 42.f) << "output written despite the error";
    }
};

TEST_F(LayerErrors, Conv2DWeightsThatDoNotFit) {
    hk::Conv2DParams p;
    expect_error(hk::conv2d(in.cview(), {w.data(), 3, 3, 2, 4}, nullptr, out.view(), p),
                 hk::StatusCode::shape_mismatch, "input has 3 channels");
    p.groups = 3;  // 3 groups of 1 input channel need out_channels divisible by 3
    expect_error(hk::conv2d(in.cview(), {w.data(), 3, 3, 1, 4}, nullptr, out.view(), p),
                 hk::StatusCode::shape_mismatch, "not a multiple of groups");
    expect_error(hk::conv2d(in.cview(), {nullptr, 3, 3, 3, 4}, nullptr, out.view(), hk::Conv2DParams{}),
                 hk::StatusCode::invalid_argument, "weights data is null");
    ref::Image wrong({1, 8, 8, 5}, 42.f);
    hk::Status s = hk::conv2d(in.cview(), {w.data(), 3, 3, 3, 4}, nullptr, wrong.view(), hk::Conv2DParams{});
    EXPECT_EQ(s.code(), hk::StatusCode::shape_mismatch) << s.to_string();
}

TEST_F(LayerErrors, StrideAndDilationBelowOne) {
    for (int v : {0, -1}) {
        hk::Conv2DParams p;
        p.stride_w = v;
        expect_error(hk::conv2d(in.cview(), {w.data(), 3, 3, 3, 4}, nullptr, out.view(), p),
                     hk::StatusCode::invalid_argument, "stride_w");
        p = {};
        p.dilation_h = v;
        expect_error(hk::conv2d(in.cview(), {w.data(), 3, 3, 3, 4}, nullptr, out.view(), p),
                     hk::StatusCode::invalid_argument, "dilation_h");
        hk::Pool2DParams pp;
        pp.stride_h = v;
        expect_error(hk::pool2d(in.cview(), out.view(), pp), hk::StatusCode::invalid_argument, "stride_h");
    }
}

TEST_F(LayerErrors, PoolingWindowLargerThanValidInput) {
    hk::Pool2DParams p;
    p.window_h = p.window_w = 9;
    p.padding = hk::Padding::valid;
    expect_error(hk::pool2d(in.cview(), out.view(), p), hk::StatusCode::shape_mismatch,
                 "more than the VALID input's 8");
    hk::Conv2DParams c;
    c.padding = hk::Padding::valid;
    c.dilation_h = c.dilation_w = 5;  // 3 taps dilated by 5 span 11 > 8
    expect_error(hk::conv2d(in.cview(), {w.data(), 3, 3, 3, 4}, nullptr, out.view(), c),
                 hk::StatusCode::shape_mismatch, "dilation included");
}

TEST_F(LayerErrors, PoolingPadsNotSmallerThanTheWindow) {
    hk::Pool2DParams p;
    p.padding = hk::Padding::explicit_pads;
    p.pads = {2, 0, 0, 0};  // a 2-row window could then hold padding only
    expect_error(hk::pool2d(in.cview(), out.view(), p), hk::StatusCode::invalid_argument, "smaller than the window");
}

TEST_F(LayerErrors, NaNAndInfiniteParameters) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    ref::Image act_out({1, 8, 8, 3}, 42.f);
    hk::Status s = hk::activation(in.cview(), act_out.view(), {hk::Activation::leaky_relu, nan});
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("alpha"), std::string::npos);
    hk::Conv2DParams p;
    p.activation = {hk::Activation::leaky_relu, std::numeric_limits<float>::infinity()};
    expect_error(hk::conv2d(in.cview(), {w.data(), 3, 3, 3, 4}, nullptr, out.view(), p),
                 hk::StatusCode::invalid_argument, "alpha");
    float kernel[9] = {0, 0, 0, 0, nan, 0, 0, 0, 0};
    hk::Filter2DParams f;
    f.kernel = kernel;
    f.kw = f.kh = 3;
    ref::Image fout({1, 8, 8, 3}, 42.f);
    s = hk::filter2d(in.cview(), fout.view(), f);
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("kernel[4]"), std::string::npos) << s.message();
    hk::DerivativeParams d;
    d.theta = nan;
    EXPECT_EQ(hk::directional_derivative(in.cview(), fout.view(), d).code(), hk::StatusCode::invalid_argument);
    for (float v : fout.data) ASSERT_EQ(v, 42.f);
}

TEST_F(LayerErrors, Filter2DKernelAndAnchor) {
    ref::Image fout({1, 8, 8, 3}, 42.f);
    hk::Filter2DParams f;
    f.kw = f.kh = 3;
    EXPECT_EQ(hk::filter2d(in.cview(), fout.view(), f).code(), hk::StatusCode::invalid_argument);  // null kernel
    float kernel[9] = {};
    f.kernel = kernel;
    f.anchor_x = 3;
    hk::Status s = hk::filter2d(in.cview(), fout.view(), f);
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("anchor"), std::string::npos) << s.message();
    f.anchor_x = -1;
    f.padding = hk::Padding::explicit_pads;  // filters take same or valid only
    EXPECT_EQ(hk::filter2d(in.cview(), fout.view(), f).code(), hk::StatusCode::invalid_argument);
}

}  // namespace

// filter2d, directional derivatives, uint8 inputs and channel sums, on every device, against
// the plain C++ reference and OpenCV (filter2D, Sobel, Scharr). Tolerances as in
// filters_test.cpp: (K - 1) u sum|w x| for a K-tap correlation in float, u = 2^-24, doubled
// against OpenCV; uint8 inputs must give exactly what the same values as float give.
#include <gtest/gtest.h>

#if HK_TEST_HAVE_OPENCV  // OpenCV oracle (absent in cross builds: the C++ reference remains)
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <cmath>

#include "reference.h"
#include "test_util.h"

namespace {

constexpr double kU = 5.9604644775390625e-8;

#if HK_TEST_HAVE_OPENCV
int cv_border(hk::Border b) {
    return b == hk::Border::zero ? cv::BORDER_CONSTANT
         : b == hk::Border::replicate ? cv::BORDER_REPLICATE : cv::BORDER_REFLECT_101;
}
#endif

// Max of |got - want| / (bound + eps) over all elements: <= 1 passes.
double worst_ratio(const ref::Image &got, const ref::Image &want, const ref::Image &abs_sum, double taps,
                   double factor = 1.0) {
    double worst = 0;
    for (size_t i = 0; i < got.data.size(); i++) {
        const double tol = factor * ((taps - 1) * kU * abs_sum.data[i] + 1e-6);
        const double err = std::fabs(double(got.data[i]) - want.data[i]);
        worst = std::max(worst, std::isfinite(err) ? err / tol : 1e30);
    }
    return worst;
}

// worst_ratio of `got` against activation(want). The correlation's error passes through the
// activation scaled by its slope (at most 1 for relu and leaky relu with alpha <= 1, 1/4 for
// sigmoid); the piecewise-linear ones add no error of their own, sigmoid adds 8 u |f|.
double worst_activated_ratio(const ref::Image &got, const ref::Filtered &want, double taps, hk::Activation kind,
                             double alpha) {
    const bool sigmoid = kind == hk::Activation::sigmoid;
    const double slope = sigmoid ? 0.25 : 1.0;
    double worst = 0;
    for (size_t i = 0; i < got.data.size(); i++) {
        const double f = ref::activation(want.value.data[i], kind, alpha);
        const double tol = slope * (taps - 1) * kU * want.abs_sum.data[i] + 1e-6 + (sigmoid ? 8 * kU * std::fabs(f) : 0.0);
        const double err = std::fabs(double(got.data[i]) - f);
        worst = std::max(worst, std::isfinite(err) ? err / tol : 1e30);
    }
    return worst;
}

constexpr hk::Activation kRgbActivations[] = {hk::Activation::none, hk::Activation::relu, hk::Activation::leaky_relu,
                                              hk::Activation::sigmoid};

#if HK_TEST_HAVE_OPENCV
ref::Image to_image(const cv::Mat &m, int64_t c) {
    ref::Image out({1, m.rows, m.cols, c});
    for (int y = 0; y < m.rows; y++)
        for (int x = 0; x < m.cols; x++)
            for (int64_t ch = 0; ch < c; ch++) out.at(0, y, x, ch) = m.ptr<float>(y)[x * c + ch];
    return out;
}
#endif

struct DevBorder {
    hk::Device device;
    hk::Border border;
};

std::vector<DevBorder> dev_borders() {
    std::vector<DevBorder> v;
    for (hk::Device d : {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda})
        for (hk::Border b : {hk::Border::zero, hk::Border::replicate, hk::Border::reflect101}) v.push_back({d, b});
    return v;
}

std::string db_name(const ::testing::TestParamInfo<DevBorder> &i) {
    return std::string(hk::to_string(i.param.device)) + "_" + hktest::name_of(i.param.border);
}

// ---- filter2d ------------------------------------------------------------------------------

class Filter2DTest : public ::testing::TestWithParam<DevBorder> {};

TEST_P(Filter2DTest, KernelsAnchorsPaddingAgainstReferenceAndOpenCV) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const ref::Image in = ref::random_image({1, 29, 34, 3}, 5);
    const ref::Image kimg = ref::random_image({1, 1, 1, 15}, 6);  // 5 wide, 3 high
    for (int anchor_x : {-1, 1})
        for (hk::Padding padding : {hk::Padding::same, hk::Padding::valid}) {
            SCOPED_TRACE("anchor_x " + std::to_string(anchor_x) + (padding == hk::Padding::same ? " same" : " valid"));
            hk::Filter2DParams p;
            p.kernel = kimg.data.data();
            p.kw = 5;
            p.kh = 3;
            p.anchor_x = anchor_x;
            p.border = db.border;
            p.padding = padding;
            ref::Kernel k;
            k.kw = 5;
            k.kh = 3;
            k.ax = anchor_x == -1 ? 2 : anchor_x;
            k.ay = 1;
            k.w.assign(kimg.data.begin(), kimg.data.end());
            const ref::Filtered want = ref::filter2d(in, k, db.border, padding);
            ref::Image out(hktest::shape_of(in.shape, p), NAN);
            hk::Status s = hk::filter2d(in.cview(), out.view(), p, db.device);
            ASSERT_TRUE(s.ok()) << s.to_string();
            EXPECT_LE(worst_ratio(out, want.value, want.abs_sum, 15), 1.0);
#if HK_TEST_HAVE_OPENCV
            if (padding == hk::Padding::same) {
                cv::Mat src(29, 34, CV_32FC3, const_cast<float *>(in.data.data())), dst;
                cv::Mat kernel(3, 5, CV_32F, const_cast<float *>(kimg.data.data()));
                cv::filter2D(src, dst, CV_32F, kernel, cv::Point(k.ax, k.ay), 0, cv_border(db.border));
                EXPECT_LE(worst_ratio(out, to_image(dst, 3), want.abs_sum, 15, 2.0), 1.0) << "vs OpenCV";
            }
#endif
        }
}

TEST_P(Filter2DTest, SumOverChannelsAndFusedActivation) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const ref::Image in = ref::random_image({2, 17, 19, 3}, 8);
    const ref::Image kimg = ref::random_image({1, 1, 1, 9}, 9);
    hk::Filter2DParams p;
    p.kernel = kimg.data.data();
    p.kw = p.kh = 3;
    p.border = db.border;
    p.channels = hk::ChannelMode::sum;
    p.activation = {hk::Activation::relu, 0};
    ref::Kernel k;
    k.kw = k.kh = 3;
    k.ax = k.ay = 1;
    k.w.assign(kimg.data.begin(), kimg.data.end());
    const ref::Filtered per_channel = ref::filter2d(in, k, db.border, hk::Padding::same);
    ref::Image want({2, 17, 19, 1}), mag({2, 17, 19, 1});
    for (int64_t n = 0; n < 2; n++)
        for (int64_t y = 0; y < 17; y++)
            for (int64_t x = 0; x < 19; x++) {
                double s = 0, m = 0;
                for (int c = 0; c < 3; c++) {
                    s += per_channel.value.at(n, y, x, c);
                    m += per_channel.abs_sum.at(n, y, x, c);
                }
                want.at(n, y, x, 0) = float(std::max(s, 0.0));
                mag.at(n, y, x, 0) = float(m);
            }
    ref::Image out(hktest::shape_of(in.shape, p), NAN);
    ASSERT_EQ(out.shape.c, 1);
    ASSERT_TRUE(hk::filter2d(in.cview(), out.view(), p, db.device).ok());
    EXPECT_LE(worst_ratio(out, want, mag, 27 + 2), 1.0);  // 27 products + 2 channel-sum roundings
}

// A packed RGB output takes a CPU branch of its own (the three channels' register tiles stored
// interleaved), with its own branches for the activations: each activation, on a 3x3 kernel
// (its taps unrolled) and a 5x3 one (rolled), 37 columns (whole tiles and a guarded tail), a
// batch of 2. Error: worst_activated_ratio's.
TEST_P(Filter2DTest, PackedRgbPerChannelWithEachFusedActivation) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const ref::Image in = ref::random_image({2, 13, 37, 3}, 14);
    const ref::Image kimg = ref::random_image({1, 1, 1, 15}, 15);
    for (int kw : {3, 5})
        for (hk::Activation kind : kRgbActivations) {
            SCOPED_TRACE("kernel " + std::to_string(kw) + "x3, " + hktest::name_of(kind));
            hk::Filter2DParams p;
            p.kernel = kimg.data.data();
            p.kw = kw;
            p.kh = 3;
            p.border = db.border;
            p.activation = {kind, 0.1f};
            ref::Kernel k;
            k.kw = kw;
            k.kh = 3;
            k.ax = kw / 2;
            k.ay = 1;
            k.w.assign(kimg.data.begin(), kimg.data.begin() + kw * 3);
            const ref::Filtered want = ref::filter2d(in, k, db.border, hk::Padding::same);
            ref::Image out(hktest::shape_of(in.shape, p), NAN);
            ASSERT_EQ(out.shape.c, 3);
            const hk::Status s = hk::filter2d(in.cview(), out.view(), p, db.device);
            ASSERT_TRUE(s.ok()) << s.to_string();
            EXPECT_LE(worst_activated_ratio(out, want, kw * 3, kind, 0.1), 1.0);
        }
}

INSTANTIATE_TEST_SUITE_P(All, Filter2DTest, ::testing::ValuesIn(dev_borders()), db_name);

// ---- directional derivative ------------------------------------------------------------------

class DerivativeTest : public ::testing::TestWithParam<DevBorder> {};

#if HK_TEST_HAVE_OPENCV
// First and second order Sobel, first order Scharr: cos/sin combinations of cv::Sobel/Scharr.
TEST_P(DerivativeTest, MatchesOpenCVSobelAndScharr) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const ref::Image in = ref::random_image({1, 23, 27, 1}, 12);
    cv::Mat src(23, 27, CV_32F, const_cast<float *>(in.data.data()));
    const double theta = 0.7, c = std::cos(theta), s = std::sin(theta);
    auto sobel = [&](int dx, int dy) {
        cv::Mat d;
        cv::Sobel(src, d, CV_32F, dx, dy, 3, 1, 0, cv_border(db.border));
        return d;
    };
    auto scharr = [&](int dx, int dy) {
        cv::Mat d;
        cv::Scharr(src, d, CV_32F, dx, dy, 1, 0, cv_border(db.border));
        return d;
    };
    struct Case {
        hk::Stencil stencil;
        int order;
        cv::Mat want;
    } cases[] = {
        {hk::Stencil::sobel, 1, c * sobel(1, 0) + s * sobel(0, 1)},
        {hk::Stencil::sobel, 2, c * c * sobel(2, 0) + 2 * c * s * sobel(1, 1) + s * s * sobel(0, 2)},
        {hk::Stencil::scharr, 1, c * scharr(1, 0) + s * scharr(0, 1)},
    };
    for (const Case &cs : cases) {
        SCOPED_TRACE("stencil " + std::to_string(int(cs.stencil)) + " order " + std::to_string(cs.order));
        hk::DerivativeParams p;
        p.theta = theta;
        p.order = cs.order;
        p.stencil = cs.stencil;
        p.border = db.border;
        ref::Image out(in.shape, NAN);
        ASSERT_TRUE(hk::directional_derivative(in.cview(), out.view(), p, db.device).ok());
        // 9 taps with weights up to 10 on values in [-1, 1]: 8 u * 40 + OpenCV's own rounding.
        const ref::Image want = to_image(cs.want, 1);
        double worst = 0;
        for (size_t i = 0; i < out.data.size(); i++) worst = std::max(worst, double(std::fabs(out.data[i] - want.data[i])));
        EXPECT_LE(worst, 2 * 9 * kU * 40 * 3) << "max |hk - OpenCV|";
    }
}
#endif

// Independent of OpenCV: on a linear ramp f = a x + b y, the first derivative along theta is
// (a cos + b sin) times the stencil's gain (central 1, Sobel 8, Scharr 32) and the second is 0.
TEST_P(DerivativeTest, RampHasTheAnalyticDerivative) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const double a = 0.3, b = -0.2, theta = 2.2;
    ref::Image ramp({1, 12, 15, 1});
    for (int y = 0; y < 12; y++)
        for (int x = 0; x < 15; x++) ramp.at(0, y, x, 0) = float(a * x + b * y);
    struct {
        hk::Stencil stencil;
        int order;
        double gain;
    } cases[] = {{hk::Stencil::central, 1, 1}, {hk::Stencil::sobel, 1, 8}, {hk::Stencil::scharr, 1, 32},
                 {hk::Stencil::central, 2, 0}, {hk::Stencil::sobel, 2, 0}};
    for (auto cs : cases) {
        hk::DerivativeParams p;
        p.theta = theta;
        p.order = cs.order;
        p.stencil = cs.stencil;
        p.border = db.border;
        p.padding = hk::Padding::valid;  // interior only: borders bend a ramp
        ref::Image out(hktest::shape_of(ramp.shape, p), NAN);
        ASSERT_TRUE(hk::directional_derivative(ramp.cview(), out.view(), p, db.device).ok());
        const double want = cs.gain * (a * std::cos(theta) + b * std::sin(theta));
        for (float v : out.data) ASSERT_NEAR(v, want, 1e-5 * (1 + cs.gain)) << "stencil " << int(cs.stencil);
    }
    // Second order on f = x y (only the mixed term d2/dxdy = 1) and on f = x^2 (d2/dx2 = 2):
    // central stencils give 2 cos sin and 2 cos^2; Sobel's d1 x d1 and d2 x [1 2 1] give 4 and 4
    // times those.
    ref::Image xy({1, 12, 15, 1}), xx({1, 12, 15, 1});
    for (int y = 0; y < 12; y++)
        for (int x = 0; x < 15; x++) {
            xy.at(0, y, x, 0) = float(0.1 * x * y);
            xx.at(0, y, x, 0) = float(0.05 * x * x);
        }
    const double c = std::cos(theta), s = std::sin(theta);
    for (auto [stencil, gain] : {std::pair{hk::Stencil::central, 1.0}, std::pair{hk::Stencil::sobel, 4.0}}) {
        hk::DerivativeParams p;
        p.theta = theta;
        p.order = 2;
        p.stencil = stencil;
        p.padding = hk::Padding::valid;
        ref::Image o1(hktest::shape_of(xy.shape, p), NAN), o2(hktest::shape_of(xx.shape, p), NAN);
        ASSERT_TRUE(hk::directional_derivative(xy.cview(), o1.view(), p, db.device).ok());
        ASSERT_TRUE(hk::directional_derivative(xx.cview(), o2.view(), p, db.device).ok());
        for (float v : o1.data) ASSERT_NEAR(v, gain * 2 * c * s * 0.1, 1e-5) << "x y, stencil " << int(stencil);
        for (float v : o2.data) ASSERT_NEAR(v, gain * 2 * c * c * 0.05, 1e-5) << "x^2, stencil " << int(stencil);
    }
}

INSTANTIATE_TEST_SUITE_P(All, DerivativeTest, ::testing::ValuesIn(dev_borders()), db_name);

TEST(Derivative, ScharrSecondOrderIsAnError) {
    hk::DerivativeParams p;
    p.stencil = hk::Stencil::scharr;
    p.order = 2;
    float k[9];
    EXPECT_EQ(hk::derivative_kernel(p, k).code(), hk::StatusCode::invalid_argument);
    p.order = 3;
    p.stencil = hk::Stencil::sobel;
    EXPECT_EQ(hk::derivative_kernel(p, k).code(), hk::StatusCode::invalid_argument);
}

// ---- uint8 inputs and channel sums -------------------------------------------------------------

class Uint8AndSumTest : public ::testing::TestWithParam<hk::Device> {};

TEST_P(Uint8AndSumTest, Uint8EqualsFloatOfSameValues) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const hk::Shape shape{2, 21, 26, 3};
    std::vector<uint8_t> u8(size_t(shape.elements()));
    ref::Image f(shape);
    for (size_t i = 0; i < u8.size(); i++) {
        u8[i] = uint8_t((i * 97 + 13) % 256);
        f.data[i] = u8[i];
    }
    const hk::ConstTensorU8 in8 = hk::ConstTensorU8::dense(u8.data(), shape);
    hk::GaborParams g;
    g.ksize_w = g.ksize_h = 7;
    g.sigma = 2;
    g.lambda = 5;
    hk::BoxFilterParams b;
    b.ksize_w = b.ksize_h = 5;
    const float kernel[9] = {0, 1, 0, 1, -4, 1, 0, 1, 0};
    hk::Filter2DParams k;
    k.kernel = kernel;
    k.kw = k.kh = 3;
    hk::DerivativeParams dd;
    dd.theta = 1.0;
    for (int op = 0; op < 4; op++) {
        ref::Image a(shape, NAN), bb(shape, NAN);
        hk::Status s1, s2;
        switch (op) {
        case 0: s1 = hk::gabor(in8, a.view(), g, d), s2 = hk::gabor(f.cview(), bb.view(), g, d); break;
        case 1: s1 = hk::box_filter(in8, a.view(), b, d), s2 = hk::box_filter(f.cview(), bb.view(), b, d); break;
        case 2: s1 = hk::filter2d(in8, a.view(), k, d), s2 = hk::filter2d(f.cview(), bb.view(), k, d); break;
        default: s1 = hk::directional_derivative(in8, a.view(), dd, d), s2 = hk::directional_derivative(f.cview(), bb.view(), dd, d);
        }
        ASSERT_TRUE(s1.ok() && s2.ok()) << s1.to_string() << " " << s2.to_string();
        EXPECT_EQ(a.data, bb.data) << "op " << op;
    }
#if HK_TEST_HAVE_OPENCV
    // And against OpenCV on the 8-bit image directly (CV_8U in, CV_32F out).
    hk::BoxFilterParams bn = b;
    ref::Image out(shape);
    ASSERT_TRUE(hk::box_filter(in8, out.view(), bn, d).ok());
    cv::Mat src(21, 26, CV_8UC3, u8.data()), dst;
    cv::boxFilter(src, dst, CV_32F, cv::Size(5, 5));
    const ref::Image want = to_image(dst, 3);
    for (int64_t y = 0; y < 21; y++)
        for (int64_t x = 0; x < 26; x++)
            for (int c = 0; c < 3; c++)  // sums of 25 values <= 255: a few ulp of 255 after dividing
                ASSERT_NEAR(out.at(0, y, x, c), want.at(0, y, x, c), 1e-4);
#endif
}

TEST_P(Uint8AndSumTest, ChannelSumIsTheSumOfPerChannelResults) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({1, 18, 22, 3}, 21);
    hk::GaborParams g;
    g.ksize_w = g.ksize_h = 5;
    g.sigma = 1.5;
    g.lambda = 4;
    hk::BoxFilterParams b;
    b.ksize_w = b.ksize_h = 5;
    b.border = hk::Border::zero;
    for (int op = 0; op < 2; op++) {
        ref::Image per(in.shape), sum({1, 18, 22, 1}, NAN);
        if (op == 0) {
            ASSERT_TRUE(hk::gabor(in.cview(), per.view(), g, d).ok());
            g.channels = hk::ChannelMode::sum;
            ASSERT_TRUE(hk::gabor(in.cview(), sum.view(), g, d).ok());
        } else {
            ASSERT_TRUE(hk::box_filter(in.cview(), per.view(), b, d).ok());
            b.channels = hk::ChannelMode::sum;
            ASSERT_TRUE(hk::box_filter(in.cview(), sum.view(), b, d).ok());
        }
        for (int64_t y = 0; y < 18; y++)
            for (int64_t x = 0; x < 22; x++) {
                const double want = double(per.at(0, y, x, 0)) + per.at(0, y, x, 1) + per.at(0, y, x, 2);
                ASSERT_NEAR(sum.at(0, y, x, 0), want, 1e-5) << "op " << op << " at " << y << "," << x;
            }
    }
}

INSTANTIATE_TEST_SUITE_P(All, Uint8AndSumTest,
                         ::testing::Values(hk::Device::cpu, hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

}  // namespace

namespace {

// ---- separable and low-rank ------------------------------------------------------------------

class SeparableTest : public ::testing::TestWithParam<DevBorder> {};

// The separable tests' kernel: 7 taps along x, 5 along y, centred.
constexpr float kSepX[7] = {0.1f, -0.3f, 0.7f, 1.0f, 0.2f, -0.5f, 0.05f}, kSepY[5] = {0.4f, -1.0f, 0.3f, 0.9f, -0.2f};

hk::SeparableParams sep_7x5_params(hk::Border border) {
    hk::SeparableParams p;
    p.kernel_x = kSepX;
    p.kw = 7;
    p.kernel_y = kSepY;
    p.kh = 5;
    p.border = border;
    return p;
}

// Its 2D kernel (the outer product), for the 2D reference.
ref::Kernel sep_7x5_as_2d() {
    ref::Kernel k;
    k.kw = 7;
    k.kh = 5;
    k.ax = 3;
    k.ay = 2;
    for (int j = 0; j < 5; j++)
        for (int i = 0; i < 7; i++) k.w.push_back(double(kSepY[j]) * kSepX[i]);
    return k;
}

TEST_P(SeparableTest, MatchesOpenCVSepFilter2D) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const ref::Image in = ref::random_image({1, 31, 40, 3}, 41);
    const hk::SeparableParams p = sep_7x5_params(db.border);
    ref::Image out(in.shape, NAN);
    ASSERT_TRUE(hk::sep_filter2d(in.cview(), out.view(), p, db.device).ok());
    const ref::Filtered want = ref::filter2d(in, sep_7x5_as_2d(), db.border, hk::Padding::same);
    // Two passes: 7 then 5 products, each pass's rounding on its own partial sums: 12 u S.
    EXPECT_LE(worst_ratio(out, want.value, want.abs_sum, 12 + 1), 1.0);
#if HK_TEST_HAVE_OPENCV
    cv::Mat src(31, 40, CV_32FC3, const_cast<float *>(in.data.data())), dst;
    cv::sepFilter2D(src, dst, CV_32F, cv::Mat(1, 7, CV_32F, const_cast<float *>(kSepX)),
                    cv::Mat(5, 1, CV_32F, const_cast<float *>(kSepY)), cv::Point(-1, -1), 0, cv_border(db.border));
    EXPECT_LE(worst_ratio(out, to_image(dst, 3), want.abs_sum, 12 + 1, 2.0), 1.0) << "vs OpenCV";
#endif
}

// Packed RGB with each fused activation (each has a branch of its own: the specialized common
// ones and the general one), 37 columns (whole tiles and a guarded tail), a batch of 2.
TEST_P(SeparableTest, PackedRgbWithEachFusedActivation) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const ref::Image in = ref::random_image({2, 11, 37, 3}, 44);
    const ref::Filtered want = ref::filter2d(in, sep_7x5_as_2d(), db.border, hk::Padding::same);
    for (hk::Activation kind : kRgbActivations) {
        SCOPED_TRACE(hktest::name_of(kind));
        hk::SeparableParams p = sep_7x5_params(db.border);
        p.activation = {kind, 0.1f};
        ref::Image out(in.shape, NAN);
        const hk::Status s = hk::sep_filter2d(in.cview(), out.view(), p, db.device);
        ASSERT_TRUE(s.ok()) << s.to_string();
        EXPECT_LE(worst_activated_ratio(out, want, 12 + 1, kind, 0.1), 1.0);  // as MatchesOpenCVSepFilter2D
    }
}

// A low-rank kernel runs as separable passes (automatically) and stays within the stated
// tolerance of the direct 2D filter (LowRank::off): kLowRankTolerance sum|K| max|x| plus both
// paths' float rounding, (K - 1) u S each.
TEST_P(SeparableTest, LowRankPathMatchesDirect2D) {
    const DevBorder db = GetParam();
    HK_REQUIRE_DEVICE(db.device);
    const ref::Image in = ref::random_image({2, 45, 52, 1}, 43);
    // Rank 2 by construction: a (x) b + c (x) d, 31 x 31 (large enough that 2 separable terms
    // beat the direct filter under the runtime's cost model).
    constexpr int kSide = 31;
    std::vector<float> k(kSide * kSide);
    double k_l1 = 0;
    for (int j = 0; j < kSide; j++)
        for (int i = 0; i < kSide; i++) {
            k[size_t(j * kSide + i)] = float(std::sin(0.3 * i) * std::exp(-0.01 * (j - 15) * (j - 15)) +
                                             std::cos(0.5 * j) * 0.1 * (i - 15));
            k_l1 += std::fabs(k[size_t(j * kSide + i)]);
        }
    int rank = 0;
    ASSERT_TRUE(hk::kernel_rank(k.data(), kSide, kSide, &rank).ok());
    EXPECT_EQ(rank, 2);
    hk::Filter2DParams p;
    p.kernel = k.data();
    p.kw = p.kh = kSide;
    p.border = db.border;
    ref::Image low(in.shape, NAN), direct(in.shape, NAN);
    ASSERT_TRUE(hk::filter2d(in.cview(), low.view(), p, db.device).ok());
    p.low_rank = hk::LowRank::off;
    ASSERT_TRUE(hk::filter2d(in.cview(), direct.view(), p, db.device).ok());
    const double bound = hk::kLowRankTolerance * k_l1 + 2 * kSide * kSide * 5.96e-8 * k_l1 + 1e-6;
    double worst = 0;
    for (size_t i = 0; i < low.data.size(); i++) worst = std::max(worst, double(std::fabs(low.data[i] - direct.data[i])));
    EXPECT_LE(worst, bound);
    EXPECT_GT(worst, 0.0) << "the low-rank path did not run (identical to the direct filter)";
}

INSTANTIATE_TEST_SUITE_P(All, SeparableTest, ::testing::ValuesIn(dev_borders()), db_name);

TEST(LowRank, GaborAtGammaOneIsRankTwoAtAnyAngle) {
    for (double theta : {0.0, 0.4, 1.1, 2.5}) {
        hk::GaborParams g;
        g.ksize_w = g.ksize_h = 31;
        g.sigma = 5;
        g.theta = theta;
        g.lambda = 9;
        g.gamma = 1;
        g.psi = 0.3;
        std::vector<float> k;
        int kw = 0, kh = 0, rank = 0;
        ASSERT_TRUE(hk::gabor_kernel(g, &k, &kw, &kh).ok());
        ASSERT_TRUE(hk::kernel_rank(k.data(), kw, kh, &rank).ok());
        EXPECT_LE(rank, 2) << "theta " << theta;
        g.gamma = 0.5;  // an elliptic envelope at an angle is not low rank
        ASSERT_TRUE(hk::gabor_kernel(g, &k, &kw, &kh).ok());
        ASSERT_TRUE(hk::kernel_rank(k.data(), kw, kh, &rank).ok());
        if (theta == 0.4 || theta == 1.1) EXPECT_GT(rank, 4) << "theta " << theta;
    }
}

class LowRankGabor : public ::testing::TestWithParam<hk::Device> {};

TEST_P(LowRankGabor, GammaOneMatchesDirectAndReference) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({1, 70, 90, 2}, 44);
    hk::GaborParams g;
    g.ksize_w = g.ksize_h = 31;
    g.sigma = 5;
    g.theta = 0.9;
    g.lambda = 9;
    g.gamma = 1;
    ref::Image low(in.shape, NAN), direct(in.shape, NAN);
    ASSERT_TRUE(hk::gabor(in.cview(), low.view(), g, d).ok());
    g.low_rank = hk::LowRank::off;
    ASSERT_TRUE(hk::gabor(in.cview(), direct.view(), g, d).ok());
    const ref::Kernel k = ref::gabor_kernel(g);
    const ref::Filtered want = ref::filter2d(in, k, g.border, g.padding);
    double k_l1 = 0;
    for (double w : k.w) k_l1 += std::fabs(w);
    double differs = 0;
    for (size_t i = 0; i < low.data.size(); i++) differs = std::max(differs, double(std::fabs(low.data[i] - direct.data[i])));
    EXPECT_GT(differs, 0.0) << "the low-rank path did not run (identical to the direct filter)";
    for (size_t i = 0; i < low.data.size(); i++) {
        const double tol = hk::kLowRankTolerance * k_l1 + (961 + 62) * kU * want.abs_sum.data[i] + 1e-5;
        ASSERT_NEAR(low.data[i], want.value.data[i], tol) << "low-rank vs reference at " << i;
        ASSERT_NEAR(low.data[i], direct.data[i], 2 * tol) << "low-rank vs direct at " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(All, LowRankGabor, ::testing::Values(hk::Device::cpu, hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

}  // namespace

namespace {

// ---- Gabor bank ------------------------------------------------------------------------------

class GaborBankTest : public ::testing::TestWithParam<hk::Device> {};

TEST_P(GaborBankTest, EveryChannelIsItsFilterRealImaginaryMagnitude) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    // RGB with 12 filters; grey with 20, which on the CPU takes the one-channel branch (blocks of
    // filter vectors x pixels: 16 + 4 guarded filters on AVX2 and AVX-512, 8 + 8 + 4 on SSE4.1;
    // 29 columns not a multiple of the block's 6 or 12 pixels).
    for (const int C : {3, 1}) {
        SCOPED_TRACE("channels " + std::to_string(C));
        const ref::Image in = ref::random_image({2, 23, 29, C}, 51);
        hk::GaborBankParams bank;
        bank.ksize_w = 9;
        bank.ksize_h = 7;
        bank.thetas = C == 3 ? std::vector<double>{0, M_PI / 4, 2.0} : std::vector<double>{0, M_PI / 4, 2.0, 1.0, 2.5};
        bank.lambdas = {4, 7};
        bank.psis = {0, 1.0};
        bank.gamma = 0.6;
        const int F = hk::gabor_bank_size(bank);
        ASSERT_EQ(F, C == 3 ? 12 : 20);
        for (hk::GaborResponse response : {hk::GaborResponse::real, hk::GaborResponse::imaginary, hk::GaborResponse::magnitude}) {
            bank.response = response;
            SCOPED_TRACE("response " + std::to_string(int(response)));
            ref::Image out(hktest::shape_of(in.shape, bank), NAN);
            ASSERT_EQ(out.shape.c, C * F);
            hk::Status s = hk::gabor_bank(in.cview(), out.view(), bank, d);
            ASSERT_TRUE(s.ok()) << s.to_string();
            int f = 0;
            for (size_t sc = 0; sc < bank.lambdas.size(); sc++)
                for (double theta : bank.thetas)
                    for (double psi : bank.psis) {
                        hk::GaborParams g;
                        g.ksize_w = bank.ksize_w;
                        g.ksize_h = bank.ksize_h;
                        g.lambda = bank.lambdas[sc];
                        g.sigma = 0.56 * g.lambda;
                        g.theta = theta;
                        g.gamma = bank.gamma;
                        g.psi = psi;
                        const ref::Filtered re = ref::filter2d(in, ref::gabor_kernel(g), bank.border, bank.padding);
                        g.psi = psi - M_PI / 2;
                        const ref::Filtered im = ref::filter2d(in, ref::gabor_kernel(g), bank.border, bank.padding);
                        const double arg = 2 * M_PI * std::hypot(4, 3) / g.lambda + 3;
                        auto tol = [&](const ref::Filtered &r, size_t i) {
                            return 62 * kU * r.abs_sum.data[i] + 4 * (arg + 4) * kU * r.abs_input.data[i] + 1e-6;
                        };
                        for (int64_t n = 0; n < 2; n++)
                            for (int64_t y = 0; y < 23; y++)
                                for (int64_t x = 0; x < 29; x++)
                                    for (int64_t c = 0; c < C; c++) {
                                        const size_t i = size_t(((n * 23 + y) * 29 + x) * C + c);
                                        const double vr = re.value.data[i], vi = im.value.data[i];
                                        double want, t;
                                        switch (response) {
                                        case hk::GaborResponse::real: want = vr, t = tol(re, i); break;
                                        case hk::GaborResponse::imaginary: want = vi, t = tol(im, i); break;
                                        default: want = std::hypot(vr, vi), t = tol(re, i) + tol(im, i);
                                        }
                                        ASSERT_NEAR(out.at(n, y, x, c * F + f), want, t)
                                            << "filter " << f << " channel " << c << " at " << y << "," << x;
                                    }
                        f++;
                    }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(All, GaborBankTest, ::testing::Values(hk::Device::cpu, hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

TEST(FilterErrors, SeparableKernelRankAndBankLimits) {
    ref::Image in({1, 8, 8, 1}, 1.f), out({1, 8, 8, 1}, 42.f);
    hk::SeparableParams sp;
    sp.kw = sp.kh = 3;
    EXPECT_EQ(hk::sep_filter2d(in.cview(), out.view(), sp).code(), hk::StatusCode::invalid_argument);  // null
    float k[3] = {1, NAN, 1};
    sp.kernel_x = sp.kernel_y = k;
    hk::Status s = hk::sep_filter2d(in.cview(), out.view(), sp);
    EXPECT_NE(s.message().find("kernel_x[1]"), std::string::npos) << s.message();
    k[1] = 2;
    sp.anchor_y = 5;
    EXPECT_EQ(hk::sep_filter2d(in.cview(), out.view(), sp).code(), hk::StatusCode::invalid_argument);
    for (float v : out.data) ASSERT_EQ(v, 42.f);
    int rank = 0;
    const float bad[4] = {1, 2, INFINITY, 4};
    EXPECT_EQ(hk::kernel_rank(bad, 2, 2, &rank).code(), hk::StatusCode::invalid_argument);
    EXPECT_EQ(hk::kernel_rank(bad, 64, 64, &rank).code(), hk::StatusCode::invalid_argument);
    hk::GaborBankParams bank;
    bank.ksize_w = bank.ksize_h = 5;
    bank.thetas.assign(33, 0.1);
    bank.lambdas.assign(32, 4.0);  // 1056 filters
    EXPECT_EQ(hk::gabor_bank(in.cview(), out.view(), bank).code(), hk::StatusCode::invalid_argument);
}

TEST(GaborBankErrors, EmptyOrMismatchedLists) {
    ref::Image in({1, 8, 8, 1}), out({1, 8, 8, 4});
    hk::GaborBankParams bank;
    bank.ksize_w = bank.ksize_h = 5;
    EXPECT_EQ(hk::gabor_bank(in.cview(), out.view(), bank).code(), hk::StatusCode::invalid_argument);  // no filters
    bank.thetas = {0, 1};
    bank.lambdas = {4, 6};
    bank.sigmas = {2};  // one sigma for two lambdas
    hk::Status s = hk::gabor_bank(in.cview(), out.view(), bank);
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("sigmas"), std::string::npos) << s.message();
    bank.sigmas = {2, -1};
    s = hk::gabor_bank(in.cview(), out.view(), bank);
    EXPECT_NE(s.message().find("sigmas[1] = -1 must be > 0"), std::string::npos) << s.message();
}

}  // namespace

// The seed's three models at the seed's shapes: fused == unfused == plain C++ reference
// (double), on every device.
//
// Tolerance: the first stage's float error e1 (bounds as in filters_test.cpp) passes through
// the second: a conv2d output moves by at most sum_taps |w| e1 (plus its own (K+1) u S);
// max pooling and relu move by at most e1. Fused and unfused both meet the bound; they are
// compared with each other at twice it.
#include <gtest/gtest.h>

#include <cmath>

#include "reference.h"
#include "test_util.h"

namespace {

constexpr double kU = 5.9604644775390625e-8;

struct Bounded {
    ref::Image value, tol;
    explicit Bounded(hk::Shape s) : value(s), tol(s) {}
};

void expect_within(const ref::Image &got, const Bounded &want, const char *what) {
    ASSERT_EQ(got.shape, want.value.shape) << what;
    int64_t bad = 0;
    double worst = 0;
    for (size_t i = 0; i < got.data.size(); i++) {
        const double err = std::fabs(double(got.data[i]) - want.value.data[i]);
        bad += !(err <= want.tol.data[i]);
        worst = std::max(worst, err / want.tol.data[i]);
    }
    EXPECT_EQ(bad, 0) << what << ": worst error/tolerance " << worst;
}

void expect_close(const ref::Image &a, const ref::Image &b, const Bounded &bound, const char *what) {
    int64_t bad = 0;
    for (size_t i = 0; i < a.data.size(); i++) bad += !(std::fabs(a.data[i] - b.data[i]) <= 2 * bound.tol.data[i]);
    EXPECT_EQ(bad, 0) << what;
}

// The model fused and unfused on `in`: both within the reference's bound, and within twice the
// bound of each other.
template <typename Model>
void expect_fused_and_unfused(const ref::Image &in, const Model &m, const Bounded &want, hk::Device d) {
    ref::Image fused(want.value.shape, NAN), unfused(want.value.shape, NAN);
    hk::Status s = hk::run_model(in.cview(), fused.view(), m, hk::Fusion::fused, d);
    ASSERT_TRUE(s.ok()) << s.to_string();
    s = hk::run_model(in.cview(), unfused.view(), m, hk::Fusion::unfused, d);
    ASSERT_TRUE(s.ok()) << s.to_string();
    expect_within(fused, want, "fused vs reference");
    expect_within(unfused, want, "unfused vs reference");
    expect_close(fused, unfused, want, "fused vs unfused");
}

// First stage through ref::filter2d: value and its float error bound per element.
Bounded first_stage(const ref::Image &in, const ref::Kernel &k, hk::Border border, double extra_per_input = 0) {
    const ref::Filtered f = ref::filter2d(in, k, border, hk::Padding::same);
    Bounded b(in.shape);
    const int K = k.kw * k.kh;
    for (size_t i = 0; i < b.value.data.size(); i++) {
        b.value.data[i] = f.value.data[i];
        b.tol.data[i] = float((K - 1) * kU * f.abs_sum.data[i] + extra_per_input * kU * f.abs_input.data[i] + 1e-6);
    }
    return b;
}

std::vector<hk::Device> devices() { return {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda}; }
std::string dev_name(const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); }

class Models : public ::testing::TestWithParam<hk::Device> {};

// 1. Gabor (7x7, per channel, zero border as tf.nn.conv2d SAME) on 256x256x3 -> Conv2D(32, 3x3,
//    VALID) + relu.
TEST_P(Models, GaborThenConvReluOnSeedShape) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({1, 256, 256, 3}, 1001, 0.f, 1.f);
    hk::GaborConvModel m;
    m.gabor.ksize_w = m.gabor.ksize_h = 7;
    m.gabor.sigma = 1.5;
    m.gabor.theta = 0.5;
    m.gabor.lambda = 4;
    m.gabor.gamma = 1;
    m.gabor.psi = 0;
    m.gabor.border = hk::Border::zero;
    const ref::Image w = ref::random_image({1, 1, 1, 3 * 3 * 3 * 32}, 1002, -0.5f, 0.5f);
    const ref::Image bias = ref::random_image({1, 1, 1, 32}, 1003, -0.1f, 0.1f);
    m.weights = {w.data.data(), 3, 3, 3, 32};
    m.bias = bias.data.data();
    m.conv.padding = hk::Padding::valid;
    m.conv.activation = {hk::Activation::relu, 0};

    // Reference: Gabor, then conv + relu, with the bound carried through.
    const ref::Kernel gk = ref::gabor_kernel(m.gabor);
    const double arg_max = 2 * M_PI * std::hypot(gk.ax, gk.ay) / m.gabor.lambda;
    const Bounded gab = first_stage(in, gk, m.gabor.border, 4 * (arg_max + 4));
    Bounded want({1, 254, 254, 32});
    for (int y = 0; y < 254; y++)
        for (int x = 0; x < 254; x++)
            for (int o = 0; o < 32; o++) {
                double acc = bias.data[size_t(o)], mag = std::fabs(acc), carried = 0;
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++)
                        for (int i = 0; i < 3; i++) {
                            const double wt = w.data[size_t(((ky * 3 + kx) * 3 + i) * 32 + o)];
                            const double v = gab.value.at(0, y + ky, x + kx, i);
                            acc += wt * v;
                            mag += std::fabs(wt * v);
                            carried += std::fabs(wt) * gab.tol.at(0, y + ky, x + kx, i);
                        }
                want.value.at(0, y, x, o) = float(std::max(acc, 0.0));
                want.tol.at(0, y, x, o) = float(carried + 28 * kU * mag + 1e-6);
            }

    hk::Shape shape;
    ASSERT_TRUE(hk::output_shape(in.shape, m, &shape).ok());
    ASSERT_EQ(shape, want.value.shape);
    expect_fused_and_unfused(in, m, want, d);
}

// 2. 5x5 averaging filter (zero border) on 64x64x1 -> MaxPooling2D(2x2) (VALID).
TEST_P(Models, AverageThenMaxPoolOnSeedShape) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({2, 64, 64, 1}, 2001, 0.f, 1.f);
    hk::BoxPoolModel m;
    m.box.ksize_w = m.box.ksize_h = 5;
    m.box.border = hk::Border::zero;
    m.pool.kind = hk::PoolKind::max;  // window 2, stride 2, VALID: MaxPooling2D's defaults

    hk::BoxFilterParams bp = m.box;
    const Bounded box = first_stage(in, ref::box_kernel(bp), m.box.border);
    Bounded want({2, 32, 32, 1});
    for (int n = 0; n < 2; n++)
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++) {
                float best = -INFINITY, tol = 0;
                for (int wy = 0; wy < 2; wy++)
                    for (int wx = 0; wx < 2; wx++) {
                        best = std::max(best, box.value.at(n, 2 * y + wy, 2 * x + wx, 0));
                        tol = std::max(tol, box.tol.at(n, 2 * y + wy, 2 * x + wx, 0));
                    }
                want.value.at(n, y, x, 0) = best;
                // The running sums' own bound (filters_test.cpp) on top of the direct-sum one.
                want.tol.at(n, y, x, 0) = tol + float((5 * 6 * 69 + 5 * 6 * 69) * kU / 25.0);
            }
    expect_fused_and_unfused(in, m, want, d);
}

// 3. Directional derivative along [1, 1] (45 degrees, Sobel, zero border) on 128x128x1 -> relu.
TEST_P(Models, DerivativeThenReluOnSeedShape) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({1, 128, 128, 1}, 3001, 0.f, 1.f);
    hk::DerivativeActivationModel m;
    m.derivative.theta = M_PI / 4;
    m.derivative.stencil = hk::Stencil::sobel;
    m.derivative.border = hk::Border::zero;
    m.activation = {hk::Activation::relu, 0};

    // cos 45 * Sobel_x + sin 45 * Sobel_y, written out here (not taken from the library).
    const double c = std::cos(M_PI / 4), s = std::sin(M_PI / 4);
    ref::Kernel k;
    k.kw = k.kh = 3;
    k.ax = k.ay = 1;
    const double sx[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1}, sy[9] = {-1, -2, -1, 0, 0, 0, 1, 2, 1};
    for (int i = 0; i < 9; i++) k.w.push_back(c * sx[i] + s * sy[i]);
    Bounded want = first_stage(in, k, m.derivative.border, 9);  // + the kernel's float rounding
    for (float &v : want.value.data) v = std::max(v, 0.0f);

    expect_fused_and_unfused(in, m, want, d);
}

INSTANTIATE_TEST_SUITE_P(Seed, Models, ::testing::ValuesIn(devices()), dev_name);

TEST(ModelsErrors, FirstStageMustBeSamePerChannel) {
    ref::Image in({1, 16, 16, 3}), out({1, 14, 14, 4});
    std::vector<float> w(3 * 3 * 3 * 4, 0.1f);
    hk::GaborConvModel m;
    m.gabor.ksize_w = m.gabor.ksize_h = 3;
    m.gabor.sigma = 1;
    m.gabor.lambda = 3;
    m.gabor.padding = hk::Padding::valid;
    m.weights = {w.data(), 3, 3, 3, 4};
    m.conv.padding = hk::Padding::valid;
    EXPECT_EQ(hk::run_model(in.cview(), out.view(), m).code(), hk::StatusCode::unsupported);
    m.gabor.padding = hk::Padding::same;
    m.weights.in_channels = 2;  // weights that do not fit the 3-channel input
    hk::Status s = hk::run_model(in.cview(), out.view(), m);
    EXPECT_EQ(s.code(), hk::StatusCode::shape_mismatch) << s.to_string();
}

// Fused, the conv window (dilation included) is bounded; unfused takes any dilation.
TEST(ModelsErrors, FusedDilatedWindowIsBounded) {
    const ref::Image in = ref::random_image({1, 9, 80, 2}, 5, 0.f, 1.f);
    std::vector<float> w(3 * 3 * 2 * 3, 0.25f);
    hk::GaborConvModel m;
    m.gabor.ksize_w = m.gabor.ksize_h = 3;
    m.gabor.sigma = 1;
    m.gabor.lambda = 3;
    m.weights = {w.data(), 3, 3, 2, 3};
    m.conv.padding = hk::Padding::same;
    for (int dilation : {32, 33}) {
        m.conv.dilation_w = dilation;
        ref::Image fused({1, 9, 80, 3}, NAN), unfused({1, 9, 80, 3}, NAN);
        ASSERT_TRUE(hk::run_model(in.cview(), unfused.view(), m, hk::Fusion::unfused, hk::Device::cpu).ok());
        hk::Status s = hk::run_model(in.cview(), fused.view(), m, hk::Fusion::fused, hk::Device::cpu);
        if (dilation == 32) {  // 65 columns: the largest fused window
            ASSERT_TRUE(s.ok()) << s.to_string();
            for (size_t i = 0; i < fused.data.size(); i++)
                ASSERT_NEAR(fused.data[i], unfused.data[i], 1e-5) << "element " << i;
        } else {
            EXPECT_EQ(s.code(), hk::StatusCode::unsupported);
            EXPECT_NE(s.message().find("kMaxFusedConvExtent"), std::string::npos) << s.to_string();
        }
    }
}

}  // namespace

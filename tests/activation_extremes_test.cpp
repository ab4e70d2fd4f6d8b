// Activations at the ends of the float range and on non-finite inputs: TensorFlow's semantics
// (generators/activation.h states them) on every device and CPU variant, alone
// (hk::activation) and fused into an op's output (filter2d with the 1x1 kernel [1]).
// The reference is TensorFlow's formula evaluated in double with IEEE rules (ref::activation),
// rounded to float:
// NaN stays NaN, infinities and saturated values are exact, finite values agree within the
// kernels' stated accuracy (1e-6 relative; gelu adds the rounding of 1 + erf or 1 + tanh to
// float, an ulp of 1 times |x|) plus subnormals.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "hk/hk.h"
#include "reference.h"
#include "test_util.h"

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kAlpha = 0.25f;

const std::vector<float> &extremes() {
    static const std::vector<float> v = {
        -kInf, -std::numeric_limits<float>::max(), -1e30f, -1e11f, -1.5e9f, -1e6f, -150.f, -104.f, -88.f,
        -20.f, -9.2f, -9.f, -6.f, -4.f, -1.f, -1e-30f, -0.f, 0.f, 1e-30f, 0.5f, 1.f, 4.f, 6.f, 6.5f, 9.f, 9.2f,
        20.f, 88.f, 104.f, 150.f, 1e6f, 1.5e9f, 1e11f, 1e30f, std::numeric_limits<float>::max(), kInf,
        std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN()};
    return v;
}

// "" when got is TensorFlow's value for x, else why not.
std::string mismatch(float x, float got, hk::Activation k) {
    const float want = float(ref::activation(x, k, kAlpha));
    // gelu's 0.5 + 0.5 s rounds to float before it scales x (TensorFlow's float kernels too):
    // up to an ulp of 1 times |x| where s is near -1.
    const bool gelu = k == hk::Activation::gelu_erf || k == hk::Activation::gelu_tanh;
    const double tol = 1e-6 * std::fabs(want) + (gelu ? 4 * std::ldexp(std::fabs(x), -24) : 0) + 1e-37;
    const bool ok = std::isnan(want) ? std::isnan(got) : std::isinf(want) ? got == want : std::fabs(double(got) - want) <= tol;
    if (ok) return "";
    return std::string(hktest::name_of(k)) + "(" + std::to_string(x) + ") = " + std::to_string(got) + ", TensorFlow: " +
           std::to_string(want) + "\n";
}

class ActivationExtremesTest : public ::testing::TestWithParam<hktest::DeviceActivation> {};

TEST_P(ActivationExtremesTest, FollowsTensorFlow) {
    const hktest::DeviceActivation c = GetParam();
    HK_REQUIRE_DEVICE(c.device);
    const std::vector<float> &in = extremes();
    const hk::Shape shape{1, 1, int64_t(in.size()), 1};
    const hk::ActivationParams act{c.kind, kAlpha};

    std::vector<float> alone(in.size(), 42.f);
    hk::Status s = hk::activation(hk::ConstTensor::dense(in.data(), shape), hk::Tensor::dense(alone.data(), shape),
                                  act, c.device);
    ASSERT_TRUE(s.ok()) << s.to_string();

    // Fused: filter2d's output is the activation of the correlation, here x * 1 + nothing.
    std::vector<float> fused(in.size(), 42.f);
    const float one = 1.f;
    hk::Filter2DParams f;
    f.kernel = &one;
    f.kw = f.kh = 1;
    f.activation = act;
    s = hk::filter2d(hk::ConstTensor::dense(in.data(), shape), hk::Tensor::dense(fused.data(), shape), f, c.device);
    ASSERT_TRUE(s.ok()) << s.to_string();

    std::string alone_errors, fused_errors;
    for (size_t i = 0; i < in.size(); i++) {
        alone_errors += mismatch(in[i], alone[i], c.kind);
        fused_errors += mismatch(in[i], fused[i], c.kind);
    }
    EXPECT_EQ(alone_errors, "") << "hk::activation on " << hk::to_string(c.device);
    EXPECT_EQ(fused_errors, "") << "filter2d's fused activation on " << hk::to_string(c.device);
}

INSTANTIATE_TEST_SUITE_P(All, ActivationExtremesTest, ::testing::ValuesIn(hktest::every_device_and_activation()),
                         hktest::device_activation_name);

}  // namespace

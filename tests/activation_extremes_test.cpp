// Activations at the ends of the float range and on non-finite inputs: TensorFlow's semantics
// (generators/activation.h states them) on every device and CPU variant, alone
// (hk::activation) and fused into an op's output (filter2d with the 1x1 kernel [1]).
// The reference is TensorFlow's formula evaluated in double with IEEE rules, rounded to float:
// NaN stays NaN, infinities and saturated values are exact, finite values agree within the
// kernels' stated accuracy (1e-6 relative; gelu adds the rounding of 1 + erf or 1 + tanh to
// float, an ulp of 1 times |x|) plus subnormals.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "hk/hk.h"
#include "test_util.h"

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kAlpha = 0.25f;

double tf_activation(double v, hk::Activation k) {
    if (std::isnan(v)) return v;
    switch (k) {
    case hk::Activation::none: return v;
    case hk::Activation::relu: return v > 0 ? v : 0;
    case hk::Activation::leaky_relu: return v >= 0 ? v : kAlpha * v;
    case hk::Activation::relu6: return std::min(std::max(v, 0.0), 6.0);
    case hk::Activation::sigmoid: return 1 / (1 + std::exp(-v));
    case hk::Activation::tanh: return std::tanh(v);
    case hk::Activation::gelu_erf: return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
    case hk::Activation::gelu_tanh:
        return 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
    }
    return v;
}

const std::vector<float> &extremes() {
    static const std::vector<float> v = {
        -kInf, -std::numeric_limits<float>::max(), -1e30f, -1e11f, -1.5e9f, -1e6f, -150.f, -104.f, -88.f,
        -20.f, -9.2f, -9.f, -6.f, -4.f, -1.f, -1e-30f, -0.f, 0.f, 1e-30f, 0.5f, 1.f, 4.f, 6.f, 6.5f, 9.f, 9.2f,
        20.f, 88.f, 104.f, 150.f, 1e6f, 1.5e9f, 1e11f, 1e30f, std::numeric_limits<float>::max(), kInf,
        std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN()};
    return v;
}

const char *kind_name(hk::Activation k) {
    const char *names[] = {"none", "relu", "leaky_relu", "relu6", "sigmoid", "tanh", "gelu_erf", "gelu_tanh"};
    return names[int(k)];
}

// "" when got is TensorFlow's value for x, else why not.
std::string mismatch(float x, float got, hk::Activation k) {
    const float want = float(tf_activation(x, k));
    // gelu's 0.5 + 0.5 s rounds to float before it scales x (TensorFlow's float kernels too):
    // up to an ulp of 1 times |x| where s is near -1.
    const bool gelu = k == hk::Activation::gelu_erf || k == hk::Activation::gelu_tanh;
    const double tol = 1e-6 * std::fabs(want) + (gelu ? 4 * std::ldexp(std::fabs(x), -24) : 0) + 1e-37;
    const bool ok = std::isnan(want) ? std::isnan(got) : std::isinf(want) ? got == want : std::fabs(double(got) - want) <= tol;
    if (ok) return "";
    return std::string(kind_name(k)) + "(" + std::to_string(x) + ") = " + std::to_string(got) + ", TensorFlow: " +
           std::to_string(want) + "\n";
}

struct Case {
    hk::Device device;
    hk::Activation kind;
};

class ActivationExtremesTest : public ::testing::TestWithParam<Case> {};

TEST_P(ActivationExtremesTest, FollowsTensorFlow) {
    const Case c = GetParam();
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

std::vector<Case> all_cases() {
    std::vector<Case> v;
    for (hk::Device d : {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda})
        for (int k = 0; k <= int(hk::Activation::gelu_tanh); k++) v.push_back({d, hk::Activation(k)});
    return v;
}

INSTANTIATE_TEST_SUITE_P(All, ActivationExtremesTest, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case> &i) {
                             return std::string(hk::to_string(i.param.device)) + "_" + kind_name(i.param.kind);
                         });

}  // namespace

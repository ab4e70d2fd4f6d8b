// The FFT path of Gabor and filter2d (hk::FilterPath::fft, generators/fft.h) on the CPU,
// against the plain C++ reference in double (reference.h) and against the direct path.
//
// Bound (generators/fft.h): |out - exact| <= (4 log2 T + 2) 5 u sqrt(2) T max|x| sum|k| with
// T = 128 (30 * 5 * 1.41 * 128 = 27153 u max|x| sum|k|, ~1.6e-3 max|x| sum|k|), every pixel.
// The FFT path is built for the CPU only: GPUs get a clear error when it is forced.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "reference.h"
#include "test_util.h"

namespace {

constexpr double kU = 5.9604644775390625e-8;

double fft_bound(const ref::Kernel &k, double max_in) {
    double sum_abs = 0;
    for (double w : k.w) sum_abs += std::fabs(w);
    return (4 * std::log2(double(hk::kFftSize)) + 2) * 5 * kU * std::sqrt(2.0) * hk::kFftSize * max_in * sum_abs;
}

double max_abs(const ref::Image &img) {
    double m = 0;
    for (float v : img.data) m = std::max(m, double(std::fabs(v)));
    return m;
}

// Worst |got - want| over all elements, and where.
struct Worst {
    double err = 0;
    std::string at;
};
Worst worst_error(const ref::Image &got, const ref::Image &want) {
    Worst w;
    EXPECT_EQ(got.shape, want.shape);
    if (got.shape != want.shape) return w;
    const hk::Shape s = want.shape;
    for (int64_t n = 0; n < s.n; n++)
        for (int64_t y = 0; y < s.h; y++)
            for (int64_t x = 0; x < s.w; x++)
                for (int64_t c = 0; c < s.c; c++) {
                    const double e = std::fabs(double(got.at(n, y, x, c)) - want.at(n, y, x, c));
                    if (!(e <= w.err)) {  // NaN counts as worst
                        w.err = std::isnan(e) ? INFINITY : e;
                        w.at = "(n " + std::to_string(n) + ", y " + std::to_string(y) + ", x " + std::to_string(x) +
                               ", c " + std::to_string(c) + ")";
                    }
                }
    return w;
}

struct FftCase {
    hk::Device device;
    hk::Shape shape;
    int kw, kh, ax, ay;  // anchor -1: the centre
    hk::Border border;
    hk::Padding padding;
    hk::ChannelMode channels;
};

std::string fft_case_name(const ::testing::TestParamInfo<FftCase> &i) {
    const FftCase &c = i.param;
    return std::string(hk::to_string(c.device)) + "_" + hktest::name_of(c.border) + "_" +
           (c.padding == hk::Padding::same ? "same" : "valid") + "_" +
           (c.channels == hk::ChannelMode::sum ? "sum" : "per_channel") + "_n" + std::to_string(c.shape.n) + "h" +
           std::to_string(c.shape.h) + "w" + std::to_string(c.shape.w) + "c" + std::to_string(c.shape.c) + "_k" +
           std::to_string(c.kw) + "x" + std::to_string(c.kh) + (c.ax >= 0 ? "_anchored" : "");
}

std::vector<FftCase> fft_cases() {
    std::vector<FftCase> cases;
    {
        const hk::Device d = hk::Device::cpu;  // the FFT path's only device
        // Tails in both axes (several tiles and pairs, an odd tile count), RGB, batches.
        cases.push_back({d, {1, 170, 400, 1}, 31, 31, -1, -1, hk::Border::reflect101, hk::Padding::same,
                         hk::ChannelMode::per_channel});
        cases.push_back({d, {2, 40, 70, 3}, 15, 9, -1, -1, hk::Border::zero, hk::Padding::same,
                         hk::ChannelMode::per_channel});
        cases.push_back({d, {1, 50, 45, 3}, 33, 33, -1, -1, hk::Border::replicate, hk::Padding::valid,
                         hk::ChannelMode::per_channel});
        cases.push_back({d, {1, 36, 100, 4}, 21, 17, 3, 12, hk::Border::reflect101, hk::Padding::same,
                         hk::ChannelMode::sum});
        // A kernel larger than the image (the border reflects more than once).
        cases.push_back({d, {1, 9, 12, 1}, 25, 25, -1, -1, hk::Border::reflect101, hk::Padding::same,
                         hk::ChannelMode::per_channel});
    }
    return cases;
}

ref::Kernel kernel_of(int kw, int kh, int ax, int ay) {
    ref::Kernel k;
    k.kw = kw, k.kh = kh;
    k.ax = ax >= 0 ? ax : kw / 2;
    k.ay = ay >= 0 ? ay : kh / 2;
    // Signed and asymmetric (a mirrored or transposed correlation shows), and of full rank (a
    // pseudo-random part), so LowRank::automatic never takes it.
    uint32_t state = 7u;
    for (int j = 0; j < kh; j++)
        for (int i = 0; i < kw; i++) {
            state = state * 1664525u + 1013904223u;
            const double noise = double(state >> 8) / double(1u << 24) - 0.5;
            k.w.push_back(std::cos(0.37 * i + 0.11 * j * j) * std::exp(-0.01 * (i * i + j * j)) + 0.05 * i + 0.3 * noise);
        }
    return k;
}

// Channel sum of the reference correlation (the kernel is the same for every channel).
ref::Image summed(const ref::Image &per_channel) {
    hk::Shape s = per_channel.shape;
    const int64_t channels = s.c;
    s.c = 1;
    ref::Image out(s, 0.f);
    for (int64_t n = 0; n < s.n; n++)
        for (int64_t y = 0; y < s.h; y++)
            for (int64_t x = 0; x < s.w; x++) {
                double acc = 0;
                for (int64_t c = 0; c < channels; c++) acc += per_channel.at(n, y, x, c);
                out.at(n, y, x, 0) = float(acc);
            }
    return out;
}

class FftFilterTest : public ::testing::TestWithParam<FftCase> {};

TEST_P(FftFilterTest, MatchesDoubleReferenceWithinDerivedBound) {
    const FftCase &c = GetParam();
    HK_REQUIRE_DEVICE(c.device);
    const ref::Image in = ref::random_image(c.shape, 17u);
    const ref::Kernel k = kernel_of(c.kw, c.kh, c.ax, c.ay);
    std::vector<float> kf(k.w.begin(), k.w.end());
    hk::Filter2DParams p;
    p.kernel = kf.data();
    p.kw = c.kw, p.kh = c.kh, p.anchor_x = c.ax, p.anchor_y = c.ay;
    p.border = c.border, p.padding = c.padding, p.channels = c.channels;
    p.path = hk::FilterPath::fft;
    EXPECT_STREQ(hk::filter_method(c.shape, p, c.device), "fft");
    const ref::Filtered per_channel = ref::filter2d(in, k, c.border, c.padding);
    const ref::Image want = c.channels == hk::ChannelMode::sum ? summed(per_channel.value) : per_channel.value;
    ref::Image out(hktest::shape_of(c.shape, p), NAN);
    const hk::Status s = hk::filter2d(in.cview(), out.view(), p, c.device);
    ASSERT_TRUE(s.ok()) << s.message();
    const double max_in = c.channels == hk::ChannelMode::sum ? max_abs(in) * c.shape.c : max_abs(in);
    const double bound = fft_bound(k, max_in);
    const Worst w = worst_error(out, want);
    EXPECT_LE(w.err, bound) << "worst at " << w.at;
    // The bound is loose by design; the real error should be far below it (a sanity check
    // that the tiles line up: a wrong tile offset is an error of order max|x| sum|k|).
    EXPECT_LT(w.err, bound / 20) << "worst at " << w.at;

    // The uint8 library: the same values as float give the same result.
    ref::Image in255 = in;
    std::vector<uint8_t> bytes(in.data.size());
    for (size_t i = 0; i < bytes.size(); i++) bytes[i] = uint8_t(int(std::lround((in.data[i] + 1) * 127.5)));
    for (size_t i = 0; i < bytes.size(); i++) in255.data[i] = float(bytes[i]);
    ref::Image out_f(out.shape, NAN), out_u8(out.shape, NAN);
    ASSERT_TRUE(hk::filter2d(in255.cview(), out_f.view(), p, c.device).ok());
    ASSERT_TRUE(hk::filter2d(hk::ConstTensorU8::dense(bytes.data(), c.shape), out_u8.view(), p, c.device).ok());
    EXPECT_EQ(out_u8.data, out_f.data);
}

INSTANTIATE_TEST_SUITE_P(All, FftFilterTest, ::testing::ValuesIn(fft_cases()), fft_case_name);

// Gabor through the FFT path against the reference, and the paths' choice and errors.
TEST(FftFilterTest, GaborForcedAndAutomatic) {
    hk::GaborParams p;
    p.ksize_w = p.ksize_h = 31;
    p.sigma = 6.7;
    p.theta = 0.6;
    p.lambda = 14.4;
    p.gamma = 0.5;
    p.psi = 0;
    const ref::Image in = ref::random_image({1, 70, 90, 2}, 5u);
    p.path = hk::FilterPath::fft;
    ref::Image out(in.shape, NAN);
    ASSERT_TRUE(hk::gabor(in.cview(), out.view(), p, hk::Device::cpu).ok());
    const ref::Kernel k = ref::gabor_kernel(p);
    const Worst w = worst_error(out, ref::filter2d(in, k, p.border, p.padding).value);
    EXPECT_LE(w.err, fft_bound(k, max_abs(in)) / 20) << "worst at " << w.at;

    // The cost model: large kernels on large images take the FFT, small ones direct taps; GPUs
    // always direct; a rank-2 Gabor (gamma = 1) separable passes.
    p.path = hk::FilterPath::automatic;
    EXPECT_STREQ(hk::filter_method({1, 1080, 1920, 1}, p), "fft");
    p.ksize_w = p.ksize_h = 5;
    EXPECT_STREQ(hk::filter_method({1, 1080, 1920, 1}, p), "direct");
    // Small images take direct taps; the FFT from k31 on 256x256x3 on every CPU variant, where it
    // was measured faster (runtime filters.cpp, FftCost).
    p.ksize_w = p.ksize_h = 31;
    EXPECT_STREQ(hk::filter_method({1, 128, 128, 1}, p), "direct");
    EXPECT_STREQ(hk::filter_method({1, 256, 256, 3}, p), "fft") << hk::cpu_variant();
    p.gamma = 1;
    EXPECT_STREQ(hk::filter_method({1, 1080, 1920, 1}, p), "low_rank");
    p.gamma = 0.5;
    p.path = hk::FilterPath::direct;
    EXPECT_STREQ(hk::filter_method({1, 1080, 1920, 1}, p), "direct");
    p.ksize_w = p.ksize_h = 35;
    p.path = hk::FilterPath::fft;
    EXPECT_STREQ(hk::filter_method({1, 1080, 1920, 1}, p), "invalid");
    const hk::Status s = hk::gabor(in.cview(), out.view(), p, hk::Device::cpu);
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("path fft takes kernels up to 33"), std::string::npos) << s.message();
    p.path = static_cast<hk::FilterPath>(7);
    EXPECT_EQ(hk::gabor(in.cview(), out.view(), p, hk::Device::cpu).code(), hk::StatusCode::invalid_argument);
}

class FftFilterOnGpuTest : public ::testing::TestWithParam<hk::Device> {};

TEST_P(FftFilterOnGpuTest, ForcedIsAClearErrorAutomaticRunsDirect) {
    const hk::Device device = GetParam();
    HK_REQUIRE_DEVICE(device);
    const ref::Image in = ref::random_image({1, 40, 50, 1}, 3u);
    const ref::Kernel kd = kernel_of(25, 25, -1, -1);
    std::vector<float> k(kd.w.begin(), kd.w.end());
    hk::Filter2DParams p;
    p.kernel = k.data();
    p.kw = p.kh = 25;
    p.path = hk::FilterPath::fft;
    ref::Image out(in.shape, NAN);
    const hk::Status s = hk::filter2d(in.cview(), out.view(), p, device);
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("path fft runs on the CPU only"), std::string::npos) << s.message();
    p.path = hk::FilterPath::automatic;
    EXPECT_STREQ(hk::filter_method({1, 1080, 1920, 1}, p, device), "direct");
}

INSTANTIATE_TEST_SUITE_P(All, FftFilterOnGpuTest, ::testing::Values(hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

TEST(FftFilterTest, ActivationIsNotFusedIntoTheFftPath) {
    const ref::Image in = ref::random_image({1, 40, 40, 1}, 3u);
    const ref::Kernel kd = kernel_of(21, 21, -1, -1);  // not of low rank
    std::vector<float> k(kd.w.begin(), kd.w.end());
    hk::Filter2DParams p;
    p.kernel = k.data();
    p.kw = p.kh = 21;
    p.activation.kind = hk::Activation::relu;
    p.path = hk::FilterPath::fft;
    ref::Image out(in.shape, NAN);
    const hk::Status s = hk::filter2d(in.cview(), out.view(), p, hk::Device::cpu);
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("does not fuse an activation"), std::string::npos) << s.message();
    // automatic keeps the fused activation on the direct path.
    p.path = hk::FilterPath::automatic;
    EXPECT_STREQ(hk::filter_method({1, 1080, 1920, 1}, p), "direct");
}

}  // namespace

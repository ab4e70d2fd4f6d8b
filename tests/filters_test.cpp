// Gabor and box filter, every device x border x padding x shape x kernel size, against the
// plain C++ reference (reference.h) and against OpenCV (getGaborKernel + filter2D, boxFilter).
//
// Tolerances are first-order float error bounds, u = 2^-24 (float's unit roundoff):
//  * Gabor: the kernel sums K = kw*kh products in float, sequentially: at most (K-1) u S with
//    S = sum |w_i x_i|. Each weight comes from float exp and cos; cos' argument
//    a = 2 pi x'/lambda + psi is rounded to float (error |a| u), and exp/cos add a few ulp
//    (CUDA and OpenCL promise <= 4), so |dw| <= (|a|max + 4) u: at most (|a|max + 4) u X with
//    X = sum |x_i|. Bound used: (K-1) u S + 4 (|a|max + 4) u X + 1e-6.
//  * Box: running sums restart every s samples, each from a direct k-sum (rows: s = max(32, k);
//    columns, only for k > 24: the output width split evenly into strips of at least max(256, k);
//    k <= 24 sums directly, within the s = max(32, k) bound; so do k <= 32 on AVX2 and AVX-512,
//    which the strips' looser bound covers). With
//    M = max|x|, a row sum (<= kw M) carries at most (kw-1) kw u M from its direct sum plus
//    2 u (kw+1) M per step, so e_h <= (kw+1)(kw+2 sx) u M. The vertical pass adds kh of those
//    and its own (kh+1)(kh+2 sy) u kw M. Bound: [kh (kw+1)(kw+2 sx) + kw (kh+1)(kh+2 sy)] u M,
//    divided by kw kh when normalized, + 1e-6.
//  * OpenCV: its float filter2D and boxFilter carry errors of the same order: the bound doubles.
//    filter2D switches to a DFT for float kernels of 130 cells or more (OpenCV 4.6,
//    dft_filter_size); there its error is ~u log2(size) sum|w| max|x|, so 1e-5 sum|w| max|x|
//    is added for those kernels only.
#include <gtest/gtest.h>

#if HK_TEST_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <tuple>

#include "reference.h"
#include "test_util.h"

namespace {

constexpr double kU = 5.9604644775390625e-8;  // 2^-24
constexpr int kBoxStrip = 32;     // generators/box_filter.h: BoxArgs::min_strip (rows)
constexpr int kBoxRunX = 256;     // BoxArgs::min_run_x (columns)
// box_direct_max on GPUs (CPUs: 32). Where k of 25-32 is summed directly (CPUs) the running-sum
// bound below still holds: it is the larger of the two.
constexpr int kBoxDirectMax = 24;

// The box filter's error bound (see the top of this file) for an output `out_w` columns wide.
double box_bound(const hk::BoxFilterParams &p, double max_in, int64_t out_w) {
    const double kw = p.ksize_w, kh = p.ksize_h;
    // Horizontal strips (k > 24): the width split evenly into max(1, floor(w / m)) strips,
    // m = max(256, kw), each ceil(w / strips) columns.
    const int64_t strips_x = std::max<int64_t>(1, out_w / std::max(kBoxRunX, p.ksize_w));
    const double sx = p.ksize_w <= kBoxDirectMax ? std::max(kBoxStrip, p.ksize_w) : double((out_w + strips_x - 1) / strips_x);
    const double sy = std::max(kBoxStrip, p.ksize_h);
    const double b = (kh * (kw + 1) * (kw + 2 * sx) + kw * (kh + 1) * (kh + 2 * sy)) * kU * max_in;
    return (p.normalize ? b / (kw * kh) : b) + 1e-6;
}

using ToleranceFn = std::function<double(int64_t n, int64_t y, int64_t x, int64_t c)>;

// Compares every element; reports the count and the worst offender.
void expect_close(const ref::Image &got, const ref::Image &want, const ToleranceFn &tol,
                  const std::string &what) {
    ASSERT_EQ(got.shape, want.shape) << what;
    int64_t bad = 0;
    double worst_ratio = 0;
    std::string worst;
    const hk::Shape s = want.shape;
    for (int64_t n = 0; n < s.n; n++)
        for (int64_t y = 0; y < s.h; y++)
            for (int64_t x = 0; x < s.w; x++)
                for (int64_t c = 0; c < s.c; c++) {
                    double g = got.at(n, y, x, c), w = want.at(n, y, x, c);
                    double t = tol(n, y, x, c);
                    double err = std::fabs(g - w);
                    if (!(err <= t)) bad++;  // NaN counts as bad
                    double ratio = std::isfinite(err) ? err / t : 1e30;
                    if (ratio > worst_ratio) {
                        worst_ratio = ratio;
                        std::ostringstream o;
                        o << "at (n=" << n << ", y=" << y << ", x=" << x << ", c=" << c << "): got "
                          << g << ", want " << w << ", |diff| " << err << ", tolerance " << t;
                        worst = o.str();
                    }
                }
    EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << s.elements()
                      << " elements out of tolerance; worst " << worst;
}

double max_abs(const ref::Image &img) {
    double m = 0;
    for (float v : img.data) m = std::max(m, double(std::fabs(v)));
    return m;
}

#if HK_TEST_HAVE_OPENCV
int cv_border(hk::Border b) {
    switch (b) {
    case hk::Border::zero: return cv::BORDER_CONSTANT;
    case hk::Border::replicate: return cv::BORDER_REPLICATE;
    case hk::Border::reflect101: return cv::BORDER_REFLECT_101;
    }
    return cv::BORDER_DEFAULT;
}

// Runs an OpenCV filter per batch item (SAME), then crops for VALID.
ref::Image opencv_filter(const ref::Image &in, int kw, int kh, hk::Padding padding,
                         const std::function<void(const cv::Mat &, cv::Mat &)> &filter) {
    const hk::Shape s = in.shape;
    hk::Shape os = s;
    if (padding == hk::Padding::valid) {
        os.h = s.h - kh + 1;
        os.w = s.w - kw + 1;
    }
    ref::Image out(os);
    for (int64_t n = 0; n < s.n; n++) {
        cv::Mat src(int(s.h), int(s.w), CV_32FC(int(s.c)),
                    const_cast<float *>(in.data.data()) + n * s.h * s.w * s.c);
        cv::Mat dst;
        filter(src, dst);
        const int y0 = padding == hk::Padding::valid ? kh / 2 : 0;
        const int x0 = padding == hk::Padding::valid ? kw / 2 : 0;
        for (int64_t y = 0; y < os.h; y++)
            for (int64_t x = 0; x < os.w; x++)
                for (int64_t c = 0; c < s.c; c++)
                    out.at(n, y, x, c) = dst.ptr<float>(int(y + y0))[(x + x0) * s.c + c];
    }
    return out;
}
#endif

struct Case {
    hk::Device device;
    hk::Border border;
    hk::Padding padding;
    hk::Shape shape;
    int ksize;
};

std::string describe(const Case &c) {
    std::ostringstream o;
    o << hk::to_string(c.device) << "_" << hktest::name_of(c.border) << "_"
      << (c.padding == hk::Padding::same ? "same" : "valid") << "_n" << c.shape.n << "h"
      << c.shape.h << "w" << c.shape.w << "c" << c.shape.c << "_k" << c.ksize;
    return o.str();
}

std::string case_name(const ::testing::TestParamInfo<Case> &info) { return describe(info.param); }

// gtest prints parameters of failing and skipped tests with this.
void PrintTo(const Case &c, std::ostream *os) { *os << describe(c); }

std::vector<Case> all_cases(std::initializer_list<int> ksizes) {
    const hk::Shape shapes[] = {
        {1, 37, 53, 1},  // odd sizes, one channel
        {2, 19, 24, 3},  // batch of 2, RGB
        {1, 30, 41, 4},  // 4 channels
        {1, 3, 4, 1},    // smaller than the kernels
    };
    std::vector<Case> cases;
    for (hk::Device d : {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda})
        for (hk::Border b : {hk::Border::zero, hk::Border::replicate, hk::Border::reflect101})
            for (hk::Padding p : {hk::Padding::same, hk::Padding::valid})
                for (const hk::Shape &s : shapes)
                    for (int k : ksizes) cases.push_back({d, b, p, s, k});
    return cases;
}

bool valid_is_empty(const Case &c, int kw, int kh) {
    return c.padding == hk::Padding::valid && (c.shape.h < kh || c.shape.w < kw);
}

// ---------------------------------------------------------------------------------------------
class GaborTest : public ::testing::TestWithParam<Case> {};

TEST_P(GaborTest, MatchesReferenceAndOpenCV) {
    const Case c = GetParam();
    HK_REQUIRE_DEVICE(c.device);
    hk::GaborParams p;
    p.ksize_w = c.ksize;
    p.ksize_h = c.ksize + 2;  // non-square, to catch swapped axes
    p.sigma = 0.25 * c.ksize + 0.5;
    p.theta = 0.7;
    p.lambda = 0.5 * c.ksize + 2;
    p.gamma = 0.6;
    p.psi = 0.4;
    p.border = c.border;
    p.padding = c.padding;

    const ref::Kernel k = ref::gabor_kernel(p);
    const ref::Image in = ref::random_image(c.shape, 1234u + uint32_t(c.ksize));
    if (valid_is_empty(c, k.kw, k.kh)) {
        ref::Image out({1, 1, 1, 1});
        hk::Status s = hk::gabor(in.cview(), out.view(), p, c.device);
        EXPECT_EQ(s.code(), hk::StatusCode::shape_mismatch) << s.to_string();
        return;
    }
    ref::Image out(hktest::shape_of(c.shape, p), NAN);
    hk::Status s = hk::gabor(in.cview(), out.view(), p, c.device);
    ASSERT_TRUE(s.ok()) << s.to_string();

    const ref::Filtered want = ref::filter2d(in, k, c.border, c.padding);
    ASSERT_GT(max_abs(want.value), 1e-3) << "degenerate test data";
    const int K = k.kw * k.kh;
    const double arg_max = 2 * M_PI * std::hypot(k.ax, k.ay) / p.lambda + std::fabs(p.psi);
    auto tol = [&](int64_t n, int64_t y, int64_t x, int64_t ch) {
        return (K - 1) * kU * want.abs_sum.at(n, y, x, ch) +
               4 * (arg_max + 4) * kU * want.abs_input.at(n, y, x, ch) + 1e-6;
    };
    expect_close(out, want.value, tol, "hk vs C++ reference");

#if HK_TEST_HAVE_OPENCV  // OpenCV oracle (absent in cross builds: the C++ reference remains)
    cv::Mat kernel = cv::getGaborKernel(cv::Size(p.ksize_w, p.ksize_h), p.sigma, p.theta,
                                        p.lambda, p.gamma, p.psi, CV_32F);
    const ref::Image cv_out = opencv_filter(in, k.kw, k.kh, c.padding, [&](const cv::Mat &src, cv::Mat &dst) {
        cv::filter2D(src, dst, CV_32F, kernel, cv::Point(-1, -1), 0, cv_border(c.border));
    });
    double w_abs = 0;
    for (double w : k.w) w_abs += std::fabs(w);
    const double in_max = max_abs(in);
    const double dft_slack = K >= 130 ? 1e-5 * w_abs * in_max : 0.0;
    expect_close(out, cv_out, [&](int64_t n, int64_t y, int64_t x, int64_t ch) {
        return 2 * tol(n, y, x, ch) + dft_slack;
    }, "hk vs OpenCV getGaborKernel + filter2D");
#endif
}

INSTANTIATE_TEST_SUITE_P(All, GaborTest, ::testing::ValuesIn(all_cases({3, 6, 15})), case_name);

// ---------------------------------------------------------------------------------------------
class BoxFilterTest : public ::testing::TestWithParam<Case> {};

TEST_P(BoxFilterTest, MatchesReferenceAndOpenCV) {
    const Case c = GetParam();
    HK_REQUIRE_DEVICE(c.device);
    for (bool normalize : {true, false}) {
        SCOPED_TRACE(normalize ? "normalized" : "unnormalized");
        hk::BoxFilterParams p;
        p.ksize_w = c.ksize;
        p.ksize_h = c.ksize == 1 ? 1 : c.ksize - 1;  // non-square, and an even side
        p.normalize = normalize;
        p.border = c.border;
        p.padding = c.padding;

        const ref::Image in = ref::random_image(c.shape, 99u + uint32_t(c.ksize));
        if (valid_is_empty(c, p.ksize_w, p.ksize_h)) {
            ref::Image out({1, 1, 1, 1});
            hk::Status s = hk::box_filter(in.cview(), out.view(), p, c.device);
            EXPECT_EQ(s.code(), hk::StatusCode::shape_mismatch) << s.to_string();
            continue;
        }
        ref::Image out(hktest::shape_of(c.shape, p), NAN);
        hk::Status s = hk::box_filter(in.cview(), out.view(), p, c.device);
        ASSERT_TRUE(s.ok()) << s.to_string();

        const ref::Filtered want = ref::filter2d(in, ref::box_kernel(p), c.border, c.padding);
        ASSERT_GT(max_abs(want.value), 1e-3) << "degenerate test data";
        const double bound = box_bound(p, max_abs(in), out.shape.w);
        auto tol = [&](int64_t, int64_t, int64_t, int64_t) { return bound; };
        expect_close(out, want.value, tol, "hk vs C++ reference");

#if HK_TEST_HAVE_OPENCV
        const ref::Image cv_out = opencv_filter(in, p.ksize_w, p.ksize_h, c.padding,
                                                [&](const cv::Mat &src, cv::Mat &dst) {
            cv::boxFilter(src, dst, CV_32F, cv::Size(p.ksize_w, p.ksize_h), cv::Point(-1, -1),
                          normalize, cv_border(c.border));
        });
        expect_close(out, cv_out, [&](int64_t, int64_t, int64_t, int64_t) { return 2 * bound; },
                     "hk vs OpenCV boxFilter");
#endif
    }
}

INSTANTIATE_TEST_SUITE_P(All, BoxFilterTest, ::testing::ValuesIn(all_cases({1, 4, 9, 31})),
                         case_name);

}  // namespace

namespace {

// Views into larger buffers (a crop of the input, an output inside a padded canvas): results
// equal the dense case, and nothing outside the output view is written.
class StridedViews : public ::testing::TestWithParam<hk::Device> {};

TEST_P(StridedViews, CropInAndOutMatchDenseAndStayInside) {
    const hk::Device device = GetParam();
    HK_REQUIRE_DEVICE(device);
    const hk::Shape big{2, 40, 50, 3}, crop{2, 21, 17, 3};
    const ref::Image canvas_in = ref::random_image(big, 5);
    ref::Image dense_in(crop);
    for (int64_t n = 0; n < crop.n; n++)
        for (int64_t y = 0; y < crop.h; y++)
            for (int64_t x = 0; x < crop.w; x++)
                for (int64_t c = 0; c < crop.c; c++) dense_in.at(n, y, x, c) = canvas_in.at(n, y + 7, x + 11, c);
    hk::ConstTensor in_view = canvas_in.cview();
    in_view.data = canvas_in.data.data() + ((7 * big.w) + 11) * big.c;
    in_view.shape = crop;

    hk::GaborParams g;
    g.ksize_w = g.ksize_h = 5;
    g.sigma = 1.5;
    g.lambda = 4;
    g.theta = 0.3;
    hk::BoxFilterParams b;
    b.ksize_w = 3;
    b.ksize_h = 5;
    for (int which = 0; which < 2; which++) {
        ref::Image canvas_out(big, -7.f), dense_out(crop);
        hk::Tensor out_view = canvas_out.view();
        out_view.data = &canvas_out.at(0, 3, 4, 0);
        out_view.shape = crop;
        hk::Status s1 = which ? hk::box_filter(in_view, out_view, b, device) : hk::gabor(in_view, out_view, g, device);
        hk::Status s2 = which ? hk::box_filter(dense_in.cview(), dense_out.view(), b, device)
                              : hk::gabor(dense_in.cview(), dense_out.view(), g, device);
        ASSERT_TRUE(s1.ok() && s2.ok()) << s1.to_string() << " / " << s2.to_string();
        int64_t mismatched = 0, written_outside = 0;
        for (int64_t n = 0; n < big.n; n++)
            for (int64_t y = 0; y < big.h; y++)
                for (int64_t x = 0; x < big.w; x++)
                    for (int64_t c = 0; c < big.c; c++) {
                        const bool inside = y >= 3 && y < 3 + crop.h && x >= 4 && x < 4 + crop.w;
                        const float v = canvas_out.at(n, y, x, c);
                        if (!inside) written_outside += v != -7.f;
                        else mismatched += v != dense_out.at(n, y - 3, x - 4, c);
                    }
        EXPECT_EQ(mismatched, 0) << (which ? "box" : "gabor");
        EXPECT_EQ(written_outside, 0) << (which ? "box" : "gabor");
    }
}

INSTANTIATE_TEST_SUITE_P(All, StridedViews,
                         ::testing::Values(hk::Device::cpu, hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

}  // namespace

namespace {

// Box filter on images large enough to take the CPU's multi-band parallel path and long
// running sums, with windows up to 255: against a summed-area-table reference (double), per
// channel or of the channels summed (ChannelMode::sum).
ref::Image box_reference_sat(const ref::Image &in, const hk::BoxFilterParams &p) {
    const hk::Shape s = in.shape;
    const bool sum = p.channels == hk::ChannelMode::sum;
    const int ax = p.ksize_w / 2, ay = p.ksize_h / 2;
    // Padded image, then its integral image; window sums are four lookups.
    const int64_t pw = s.w + p.ksize_w, ph = s.h + p.ksize_h;
    ref::Image out({s.n, s.h, s.w, sum ? 1 : s.c});
    auto pixel = [&](int64_t n, int64_t y, int64_t x, int64_t c) {
        double v = 0;
        for (int64_t k = sum ? 0 : c; k < (sum ? s.c : c + 1); k++) v += in.at(n, y, x, k);
        return v;
    };
    std::vector<double> sat(size_t((pw + 1) * (ph + 1)));
    for (int64_t n = 0; n < s.n; n++)
        for (int64_t c = 0; c < out.shape.c; c++) {
            for (int64_t y = 0; y < ph; y++)
                for (int64_t x = 0; x < pw; x++) {
                    const int64_t sy = ref::border_index(y - ay, s.h, p.border);
                    const int64_t sx = ref::border_index(x - ax, s.w, p.border);
                    const double v = (sy < 0 || sx < 0) ? 0.0 : pixel(n, sy, sx, c);
                    sat[size_t((y + 1) * (pw + 1) + x + 1)] = v + sat[size_t(y * (pw + 1) + x + 1)] +
                                                              sat[size_t((y + 1) * (pw + 1) + x)] -
                                                              sat[size_t(y * (pw + 1) + x)];
                }
            const double scale = p.normalize ? 1.0 / (double(p.ksize_w) * p.ksize_h) : 1.0;
            for (int64_t y = 0; y < s.h; y++)
                for (int64_t x = 0; x < s.w; x++) {
                    auto at = [&](int64_t yy, int64_t xx) { return sat[size_t(yy * (pw + 1) + xx)]; };
                    const double sum = at(y + p.ksize_h, x + p.ksize_w) - at(y, x + p.ksize_w) -
                                       at(y + p.ksize_h, x) + at(y, x);
                    out.at(n, y, x, c) = float(sum * scale);
                }
        }
    return out;
}

struct LargeCase {
    hk::Device device;
    hk::Border border;
    int ksize;
};

class LargeBoxTest : public ::testing::TestWithParam<LargeCase> {};

// The box filter of `in` on `device` against the summed-area reference, within box_bound.
void expect_box_matches_sat(const ref::Image &in, const hk::BoxFilterParams &p, hk::Device device) {
    ref::Image out(in.shape, NAN);
    hk::Status s = hk::box_filter(in.cview(), out.view(), p, device);
    ASSERT_TRUE(s.ok()) << s.to_string();
    const double bound = box_bound(p, max_abs(in), out.shape.w);
    expect_close(out, box_reference_sat(in, p), [&](int64_t, int64_t, int64_t, int64_t) { return bound; },
                 "hk vs summed-area reference");
}

TEST_P(LargeBoxTest, MatchesSummedAreaReference) {
    const LargeCase c = GetParam();
    HK_REQUIRE_DEVICE(c.device);
    hk::BoxFilterParams p;
    p.ksize_w = c.ksize;
    p.ksize_h = c.ksize + 2;
    p.border = c.border;
    expect_box_matches_sat(ref::random_image({2, 300, 211, 3}, 4242u), p, c.device);
}

// Wide enough (1100 columns) that the horizontal running sums (k > 32 on CPUs, k > 24 on GPUs)
// run in several strips: four of 275 columns for k = 33, 64 and 255 (and 31 on GPUs), so every
// strip's start and end is checked.
TEST_P(LargeBoxTest, WideImageRunsSeveralStrips) {
    const LargeCase c = GetParam();
    HK_REQUIRE_DEVICE(c.device);
    hk::BoxFilterParams p;
    p.ksize_w = p.ksize_h = c.ksize;
    p.border = c.border;
    expect_box_matches_sat(ref::random_image({1, 45, 1100, 1}, 777u), p, c.device);
}

std::string large_case_name(const ::testing::TestParamInfo<LargeCase> &i) {
    return std::string(hk::to_string(i.param.device)) + "_" + hktest::name_of(i.param.border) + "_k" +
           std::to_string(i.param.ksize);
}

std::vector<LargeCase> large_cases() {
    std::vector<LargeCase> v;
    for (hk::Device d : {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda})
        for (hk::Border b : {hk::Border::zero, hk::Border::reflect101})
            // 20, 22 and 31 summed directly (on CPUs from sums of 4 columns from k = 20: k % 4 =
            // 0, 2, 3 columns left over), 33 and wider by running sums.
            for (int k : {20, 22, 31, 33, 64, 255}) v.push_back({d, b, k});
    return v;
}

INSTANTIATE_TEST_SUITE_P(All, LargeBoxTest, ::testing::ValuesIn(large_cases()), large_case_name);

// ChannelMode::sum: the box runs on the per-pixel channel sums (values up to C max|x|), which
// carry (C - 1) u C max|x| each; the bound adds that, times kw kh unless normalized.
double box_sum_bound(const hk::BoxFilterParams &p, int64_t channels, double max_in, int64_t out_w) {
    const double window = p.normalize ? 1.0 : double(p.ksize_w) * p.ksize_h;
    return box_bound(p, channels * max_in, out_w) + (channels - 1) * kU * channels * max_in * window;
}

class LargeBoxSumTest : public ::testing::TestWithParam<LargeCase> {};

TEST_P(LargeBoxSumTest, MatchesSummedAreaReference) {
    const LargeCase c = GetParam();
    HK_REQUIRE_DEVICE(c.device);
    hk::BoxFilterParams p;
    p.ksize_w = c.ksize;
    p.ksize_h = c.ksize + 2;
    p.border = c.border;
    p.channels = hk::ChannelMode::sum;
    for (bool normalize : {true, false}) {
        p.normalize = normalize;
        const ref::Image in = ref::random_image({2, 300, 211, 4}, 4343u);
        ref::Image out({2, 300, 211, 1}, NAN);
        hk::Status s = hk::box_filter(in.cview(), out.view(), p, c.device);
        ASSERT_TRUE(s.ok()) << s.to_string();
        const double bound = box_sum_bound(p, 4, max_abs(in), out.shape.w);
        expect_close(out, box_reference_sat(in, p), [&](int64_t, int64_t, int64_t, int64_t) { return bound; },
                     normalize ? "normalized sum-mode box vs reference" : "sum-mode box vs reference");
    }
    // The review's case: a constant 200 over 4 channels, normalized: every output is 800 (a
    // direct kw x kh x C float sum gave 798.53 at 255 x 255).
    p.normalize = true;
    const ref::Image flat({1, 260, 270, 4}, 200.f);
    ref::Image out({1, 260, 270, 1}, NAN);
    ASSERT_TRUE(hk::box_filter(flat.cview(), out.view(), p, c.device).ok());
    const double bound = box_sum_bound(p, 4, 200, out.shape.w);
    if (c.border != hk::Border::zero)
        expect_close(out, ref::Image(out.shape, 800.f), [&](int64_t, int64_t, int64_t, int64_t) { return bound; },
                     "constant 4 x 200, normalized");
}

INSTANTIATE_TEST_SUITE_P(All, LargeBoxSumTest, ::testing::ValuesIn(large_cases()), large_case_name);

// Gabor on an image large enough for several parallel bands and tails in both axes.
class LargeGaborTest : public ::testing::TestWithParam<hk::Device> {};

TEST_P(LargeGaborTest, MatchesReference) {
    const hk::Device device = GetParam();
    HK_REQUIRE_DEVICE(device);
    const ref::Image in = ref::random_image({1, 203, 301, 1}, 99u);
    hk::GaborParams p;
    p.ksize_w = 9;
    p.ksize_h = 7;
    p.sigma = 2.5;
    p.theta = 2.1;
    p.lambda = 6;
    p.gamma = 0.7;
    ref::Image out(in.shape, NAN);
    ASSERT_TRUE(hk::gabor(in.cview(), out.view(), p, device).ok());
    const ref::Kernel k = ref::gabor_kernel(p);
    const ref::Filtered want = ref::filter2d(in, k, p.border, p.padding);
    const int K = k.kw * k.kh;
    const double arg_max = 2 * M_PI * std::hypot(k.ax, k.ay) / p.lambda + std::fabs(p.psi);
    expect_close(out, want.value, [&](int64_t n, int64_t y, int64_t x, int64_t ch) {
        return (K - 1) * kU * want.abs_sum.at(n, y, x, ch) +
               4 * (arg_max + 4) * kU * want.abs_input.at(n, y, x, ch) + 1e-6;
    }, "hk vs C++ reference");
}

INSTANTIATE_TEST_SUITE_P(All, LargeGaborTest,
                         ::testing::Values(hk::Device::cpu, hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

}  // namespace

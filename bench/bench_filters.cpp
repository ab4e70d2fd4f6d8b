// Filters: hkernels vs OpenCV. Gabor (k = 5, 7, 15, 31) and box (k = 3, 5, 15, 31) at
// 1920x1080x1 and the seed's 256x256x3 (or the --hk_shapes sizes); filter2d and the directional derivative (3x3) against cv::filter2D.
#include <opencv2/imgproc.hpp>

#include <cmath>

#include "bench_common.h"

namespace hkbench {

namespace {

hk::GaborParams gabor_params(int k) {
    hk::GaborParams p;
    p.ksize_w = p.ksize_h = k;
    p.sigma = 0.2 * k + 0.5;
    p.theta = 0.6;
    p.lambda = 0.4 * k + 2;
    p.gamma = 0.5;
    p.psi = 0;
    return p;
}

// Runs `op(input, output)` on the bench image as float32, or as uint8 (`u8`: the same values
// scaled to 0..255; the target is uint8 no slower than float32).
template <typename Op>
void time_on_image(benchmark::State &state, Size s, bool u8, const Op &op) {
    Data data(s);
    std::vector<uint8_t> bytes;
    if (u8)
        for (float v : data.in) bytes.push_back(uint8_t(v * 255.0f));
    hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
    const hk::ConstTensorU8 in_u8 = hk::ConstTensorU8::dense(bytes.data(), data.shape());
    time_status(state, [&] { return u8 ? op(in_u8, out) : op(data.tensor(), out); });
    set_mpix(state, s);
}

// `path`: automatic (the row the report compares), or forced direct / fft. The label says what
// ran (hk::filter_method): direct taps, low-rank passes or FFTs.
void bench_hk_gabor(benchmark::State &state, Size s, int k, hk::Device d,
                    hk::FilterPath path = hk::FilterPath::automatic, bool u8 = false) {
    hk::GaborParams p = gabor_params(k);
    p.path = path;
    state.SetLabel(std::string("method=") + hk::filter_method({1, s.h, s.w, s.c}, p, d));
    time_on_image(state, s, u8, [&](const auto &in, const hk::Tensor &out) { return hk::gabor(in, out, p, d); });
}

void bench_hk_box(benchmark::State &state, Size s, int k, hk::Device d, bool u8 = false) {
    hk::BoxFilterParams p;
    p.ksize_w = p.ksize_h = k;
    time_on_image(state, s, u8, [&](const auto &in, const hk::Tensor &out) { return hk::box_filter(in, out, p, d); });
}

void bench_cv_gabor(benchmark::State &state, Size s, int k) {
    Data data(s);
    const hk::GaborParams p = gabor_params(k);
    cv::Mat kernel = cv::getGaborKernel(cv::Size(k, k), p.sigma, p.theta, p.lambda, p.gamma, p.psi, CV_32F);
    cv::Mat src = data.in_mat(), dst = data.out_mat();
    for (auto _ : state) cv::filter2D(src, dst, CV_32F, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
    set_mpix(state, s);
}

void bench_cv_box(benchmark::State &state, Size s, int k) {
    Data data(s);
    cv::Mat src = data.in_mat(), dst = data.out_mat();
    for (auto _ : state)
        cv::boxFilter(src, dst, CV_32F, cv::Size(k, k), cv::Point(-1, -1), true, cv::BORDER_REFLECT_101);
    set_mpix(state, s);
}

}  // namespace

void register_filters(const std::vector<hk::Device> &devices) {
    for (Size s : sizes_or({Size{1920, 1080, 1}, Size{256, 256, 3}})) {
        for (int k : {5, 7, 15, 31}) {
            const std::string g = "gabor/k" + std::to_string(k) + "/" + s.name() + "/";
            for (hk::Device dev : devices)
                add(g + "hk_" + hk::to_string(dev), [=](benchmark::State &st) { bench_hk_gabor(st, s, k, dev); });
            if (k == 7)
                add(g + "hk_cpu_u8", [=](benchmark::State &st) {
                    bench_hk_gabor(st, s, k, hk::Device::cpu, hk::FilterPath::automatic, /*u8=*/true);
                });
            // Both paths side by side on the CPU, for the kernels where the cost model chooses.
            if (k >= 15) {
                add(g + "hk_cpu_direct", [=](benchmark::State &st) {
                    bench_hk_gabor(st, s, k, hk::Device::cpu, hk::FilterPath::direct);
                });
                add(g + "hk_cpu_fft", [=](benchmark::State &st) {
                    bench_hk_gabor(st, s, k, hk::Device::cpu, hk::FilterPath::fft);
                });
            }
            add(g + "opencv", [=](benchmark::State &st) { bench_cv_gabor(st, s, k); });
        }
        for (int k : {3, 5, 15, 31}) {
            const std::string b = "box/k" + std::to_string(k) + "/" + s.name() + "/";
            for (hk::Device dev : devices)
                add(b + "hk_" + hk::to_string(dev), [=](benchmark::State &st) { bench_hk_box(st, s, k, dev); });
            if (k == 5)
                add(b + "hk_cpu_u8", [=](benchmark::State &st) { bench_hk_box(st, s, k, hk::Device::cpu, /*u8=*/true); });
            add(b + "opencv", [=](benchmark::State &st) { bench_cv_box(st, s, k); });
        }
        // Gabor at gamma = 1 is rank 2 at any angle: hkernels runs it as 2 separable passes.
        for (int k : {15, 31}) {
            const std::string g = "gabor_gamma1/k" + std::to_string(k) + "/" + s.name() + "/";
            auto params = [k] {
                hk::GaborParams p = gabor_params(k);
                p.gamma = 1;
                return p;
            };
            for (hk::Device dev : devices)
                add(g + "hk_" + hk::to_string(dev), [=](benchmark::State &st) {
                    Data data(s);
                    hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
                    time_status(st, [&] { return hk::gabor(data.tensor(), out, params(), dev); });
                    set_mpix(st, s);
                });
            add(g + "opencv", [=](benchmark::State &st) {
                Data data(s);
                const hk::GaborParams p = params();
                cv::Mat kernel = cv::getGaborKernel(cv::Size(k, k), p.sigma, p.theta, p.lambda, p.gamma, p.psi, CV_32F);
                cv::Mat src = data.in_mat(), dst = data.out_mat();
                for (auto _ : st) cv::filter2D(src, dst, CV_32F, kernel);
                set_mpix(st, s);
            });
        }
        // A general 7x7 kernel (full rank: runs directly) and a separable 15-tap pair.
        {
            const std::string f = "filter2d_7x7/" + s.name() + "/";
            static std::vector<float> k49 = [] {
                std::vector<float> k(49);
                for (size_t i = 0; i < k.size(); i++) k[i] = float(std::sin(1.7 * double(i * i) + 0.3));
                return k;
            }();
            for (hk::Device dev : devices)
                add(f + "hk_" + hk::to_string(dev), [=](benchmark::State &st) {
                    Data data(s);
                    hk::Filter2DParams p;
                    p.kernel = k49.data();
                    p.kw = p.kh = 7;
                    hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
                    time_status(st, [&] { return hk::filter2d(data.tensor(), out, p, dev); });
                    set_mpix(st, s);
                });
            add(f + "opencv", [=](benchmark::State &st) {
                Data data(s);
                cv::Mat kernel(7, 7, CV_32F, k49.data()), src = data.in_mat(), dst = data.out_mat();
                for (auto _ : st) cv::filter2D(src, dst, CV_32F, kernel);
                set_mpix(st, s);
            });
            const std::string sp = "sep_filter2d_15/" + s.name() + "/";
            static std::vector<float> k15 = [] {
                std::vector<float> k(15);
                for (int i = 0; i < 15; i++) k[size_t(i)] = float(std::exp(-0.05 * (i - 7) * (i - 7)));
                return k;
            }();
            for (hk::Device dev : devices)
                add(sp + "hk_" + hk::to_string(dev), [=](benchmark::State &st) {
                    Data data(s);
                    hk::SeparableParams p;
                    p.kernel_x = p.kernel_y = k15.data();
                    p.kw = p.kh = 15;
                    hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
                    time_status(st, [&] { return hk::sep_filter2d(data.tensor(), out, p, dev); });
                    set_mpix(st, s);
                });
            add(sp + "opencv", [=](benchmark::State &st) {
                Data data(s);
                cv::Mat k(15, 1, CV_32F, k15.data()), src = data.in_mat(), dst = data.out_mat();
                for (auto _ : st) cv::sepFilter2D(src, dst, CV_32F, k, k);
                set_mpix(st, s);
            });
        }
        // A 3x3 kernel: the directional derivative, and filter2D (OpenCV's fastest way to do it).
        const std::string d = "derivative3x3/" + s.name() + "/";
        for (hk::Device dev : devices)
            add(d + "hk_" + hk::to_string(dev), [=](benchmark::State &st) {
                Data data(s);
                hk::DerivativeParams p;
                p.theta = 0.785;
                hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
                time_status(st, [&] { return hk::directional_derivative(data.tensor(), out, p, dev); });
                set_mpix(st, s);
            });
        add(d + "opencv_filter2D", [=](benchmark::State &st) {
            Data data(s);
            hk::DerivativeParams p;
            p.theta = 0.785;
            float k[9];
            (void)hk::derivative_kernel(p, k);
            cv::Mat kernel(3, 3, CV_32F, k), src = data.in_mat(), dst = data.out_mat();
            for (auto _ : st) cv::filter2D(src, dst, CV_32F, kernel);
            set_mpix(st, s);
        });
    }
}

// The Gabor bank: 8 orientations x 2 scales (16 filters, 15x15) in one call, against OpenCV
// filtering once per filter.
void register_gabor_bank(const std::vector<hk::Device> &devices) {
    const Size s{256, 256, 1};
    auto bank = [] {
        hk::GaborBankParams b;
        b.ksize_w = b.ksize_h = 15;
        for (int i = 0; i < 8; i++) b.thetas.push_back(M_PI * i / 8);
        b.lambdas = {5, 9};
        return b;
    };
    const std::string n = "gabor_bank_16x15x15/" + s.name() + "/";
    for (hk::Device dev : devices)
        add(n + "hk_" + hk::to_string(dev), [=](benchmark::State &st) {
            Data data(s, size_t(s.w) * s.h * 16);
            const hk::GaborBankParams b = bank();
            hk::Tensor out = hk::Tensor::dense(data.out.data(), {1, s.h, s.w, 16});
            time_status(st, [&] { return hk::gabor_bank(data.tensor(), out, b, dev); });
            set_mpix(st, s);
        });
    add(n + "opencv_16_filter2D", [=](benchmark::State &st) {
        Data data(s);
        const hk::GaborBankParams b = bank();
        std::vector<cv::Mat> kernels;
        for (double lambda : b.lambdas)
            for (double theta : b.thetas)
                kernels.push_back(cv::getGaborKernel(cv::Size(15, 15), 0.56 * lambda, theta, lambda, b.gamma, 0, CV_32F));
        cv::Mat src = data.in_mat(), dst = data.out_mat();
        for (auto _ : st)
            for (const cv::Mat &k : kernels) cv::filter2D(src, dst, CV_32F, k);
        set_mpix(st, s);
    });
}

}  // namespace hkbench

// hkernels vs OpenCV, side by side in one binary at the same thread count.
//
//   hk_bench [--benchmark_filter=REGEX] [--benchmark_format=json] [--benchmark_out=FILE]
//   HK_BENCH_THREADS=N (default: all cores) sets both libraries' thread count.
//
// Names read filter/k/WxHxC/impl, e.g. gabor/k15/1920x1080x1/hk_cpu vs .../opencv. Each
// reports Mpix/s (pixels of the image, all channels together, per second). GPU devices
// include copying the image to the device and the result back on every call.
#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "hk/hk.h"

namespace {

struct Size {
    int w, h, c;
    std::string name() const {
        return std::to_string(w) + "x" + std::to_string(h) + "x" + std::to_string(c);
    }
};

struct Data {
    Size size;
    std::vector<float> in, out;
    explicit Data(Size s) : size(s), in(size_t(s.w) * s.h * s.c), out(in.size()) {
        uint32_t state = 12345;
        for (float &v : in) {
            state = state * 1664525u + 1013904223u;
            v = float(state >> 8) / float(1u << 24);
        }
    }
    hk::Shape shape() const { return {1, size.h, size.w, size.c}; }
    cv::Mat in_mat() { return cv::Mat(size.h, size.w, CV_32FC(size.c), in.data()); }
    cv::Mat out_mat() { return cv::Mat(size.h, size.w, CV_32FC(size.c), out.data()); }
};

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

void set_rate(benchmark::State &state, const Size &s) {
    state.counters["Mpix/s"] = benchmark::Counter(double(state.iterations()) * s.w * s.h / 1e6,
                                                  benchmark::Counter::kIsRate);
}

void bench_hk_gabor(benchmark::State &state, Size s, int k, hk::Device d) {
    Data data(s);
    const hk::GaborParams p = gabor_params(k);
    hk::ConstTensor in = hk::ConstTensor::dense(data.in.data(), data.shape());
    hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
    if (hk::Status st = hk::gabor(in, out, p, d); !st.ok()) {  // warm-up (GPU compile)
        state.SkipWithError(st.to_string().c_str());
        return;
    }
    for (auto _ : state) benchmark::DoNotOptimize(hk::gabor(in, out, p, d).ok());
    set_rate(state, s);
}

void bench_cv_gabor(benchmark::State &state, Size s, int k) {
    Data data(s);
    const hk::GaborParams p = gabor_params(k);
    cv::Mat kernel = cv::getGaborKernel(cv::Size(k, k), p.sigma, p.theta, p.lambda, p.gamma, p.psi, CV_32F);
    cv::Mat src = data.in_mat(), dst = data.out_mat();
    for (auto _ : state) cv::filter2D(src, dst, CV_32F, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
    set_rate(state, s);
}

void bench_hk_box(benchmark::State &state, Size s, int k, hk::Device d) {
    Data data(s);
    hk::BoxFilterParams p;
    p.ksize_w = p.ksize_h = k;
    hk::ConstTensor in = hk::ConstTensor::dense(data.in.data(), data.shape());
    hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
    if (hk::Status st = hk::box_filter(in, out, p, d); !st.ok()) {
        state.SkipWithError(st.to_string().c_str());
        return;
    }
    for (auto _ : state) benchmark::DoNotOptimize(hk::box_filter(in, out, p, d).ok());
    set_rate(state, s);
}

void bench_cv_box(benchmark::State &state, Size s, int k) {
    Data data(s);
    cv::Mat src = data.in_mat(), dst = data.out_mat();
    for (auto _ : state)
        cv::boxFilter(src, dst, CV_32F, cv::Size(k, k), cv::Point(-1, -1), true, cv::BORDER_REFLECT_101);
    set_rate(state, s);
}

}  // namespace

int main(int argc, char **argv) {
    int threads = hk::num_threads();
    if (const char *env = std::getenv("HK_BENCH_THREADS")) threads = std::atoi(env);
    if (hk::Status s = hk::set_num_threads(threads); !s.ok()) {
        std::fprintf(stderr, "%s\n", s.to_string().c_str());
        return 2;
    }
    cv::setNumThreads(threads);
    benchmark::AddCustomContext("threads (hkernels and OpenCV)", std::to_string(threads));
    benchmark::AddCustomContext("hkernels CPU variant", hk::cpu_variant());
    benchmark::AddCustomContext("OpenCV", cv::getVersionString());

    std::vector<std::pair<hk::Device, std::string>> devices;
    for (const auto &d : hk::available_devices()) devices.push_back({d.device, d.name});
    for (hk::Device d : {hk::Device::opencl, hk::Device::cuda})
        if (hk::Status s = hk::check_device(d); !s.ok())
            benchmark::AddCustomContext(std::string("skipped ") + hk::to_string(d), s.message());

    for (Size s : {Size{1920, 1080, 1}, Size{256, 256, 3}}) {
        for (int k : {5, 15, 31}) {
            const std::string g = "gabor/k" + std::to_string(k) + "/" + s.name() + "/";
            for (auto &[dev, name] : devices)
                benchmark::RegisterBenchmark((g + "hk_" + hk::to_string(dev)).c_str(), bench_hk_gabor, s, k, dev)
                    ->UseRealTime()->Unit(benchmark::kMillisecond);
            benchmark::RegisterBenchmark((g + "opencv").c_str(), bench_cv_gabor, s, k)
                ->UseRealTime()->Unit(benchmark::kMillisecond);
            const std::string b = "box/k" + std::to_string(k) + "/" + s.name() + "/";
            for (auto &[dev, name] : devices)
                benchmark::RegisterBenchmark((b + "hk_" + hk::to_string(dev)).c_str(), bench_hk_box, s, k, dev)
                    ->UseRealTime()->Unit(benchmark::kMillisecond);
            benchmark::RegisterBenchmark((b + "opencv").c_str(), bench_cv_box, s, k)
                ->UseRealTime()->Unit(benchmark::kMillisecond);
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

// Shared by the benchmark files: test data, rate counters, registration helpers.
#pragma once
#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "hk/hk.h"

namespace hkbench {

struct Size {
    int w, h, c;
    std::string name() const {
        return std::to_string(w) + "x" + std::to_string(h) + "x" + std::to_string(c);
    }
};

// Deterministic input in [0, 1) and an output of the same size.
struct Data {
    Size size;
    std::vector<float> in, out;
    explicit Data(Size s, size_t out_elements = 0)
        : size(s), in(size_t(s.w) * s.h * s.c), out(out_elements ? out_elements : in.size()) {
        uint32_t state = 12345;
        for (float &v : in) {
            state = state * 1664525u + 1013904223u;
            v = float(state >> 8) / float(1u << 24);
        }
    }
    hk::Shape shape() const { return {1, size.h, size.w, size.c}; }
    hk::ConstTensor tensor() const { return hk::ConstTensor::dense(in.data(), shape()); }
    cv::Mat in_mat() { return cv::Mat(size.h, size.w, CV_32FC(size.c), in.data()); }
    cv::Mat out_mat() { return cv::Mat(size.h, size.w, CV_32FC(size.c), out.data()); }
};

inline void set_mpix(benchmark::State &state, const Size &s) {
    state.counters["Mpix/s"] = benchmark::Counter(double(state.iterations()) * s.w * s.h / 1e6,
                                                  benchmark::Counter::kIsRate);
}
inline void set_gflops(benchmark::State &state, double flops_per_call) {
    state.counters["GFLOP/s"] = benchmark::Counter(double(state.iterations()) * flops_per_call / 1e9,
                                                   benchmark::Counter::kIsRate);
}
inline void set_gbytes(benchmark::State &state, double bytes_per_call) {
    state.counters["GB/s"] = benchmark::Counter(double(state.iterations()) * bytes_per_call / 1e9,
                                                benchmark::Counter::kIsRate);
}

// Runs `call` once (warm-up: GPU compilation), then times it; a failing status skips.
template <typename F>
void time_status(benchmark::State &state, F call) {
    if (hk::Status st = call(); !st.ok()) {
        state.SkipWithError(st.to_string().c_str());
        return;
    }
    for (auto _ : state) benchmark::DoNotOptimize(call().ok());
}

template <typename F>
void add(const std::string &name, F f) {
    benchmark::RegisterBenchmark(name.c_str(), f)->UseRealTime()->Unit(benchmark::kMillisecond);
}

// The image sizes the filter, pooling and activation benchmarks run at: `defaults`, or the
// sizes given by --hk_shapes=WxHxC[,WxHxC...] (how ./hk tune benches the shapes a user names).
std::vector<Size> &shape_override();
inline std::vector<Size> sizes_or(std::vector<Size> defaults) {
    return shape_override().empty() ? defaults : shape_override();
}

// Registration, one function per op family; `devices` are those present.
void register_filters(const std::vector<hk::Device> &devices);
void register_gabor_bank(const std::vector<hk::Device> &devices);
void register_layers(const std::vector<hk::Device> &devices);
void register_models(const std::vector<hk::Device> &devices);
void register_machine(int threads);
void register_overhead();  // per-call cost on a tiny tensor (bench_overhead.cpp)

}  // namespace hkbench

// hkernels vs OpenCV (filters) and oneDNN (layers), side by side in one binary at the same
// thread count; the seed models fused vs unfused.
//
//   hk_bench [--benchmark_filter=REGEX] [--benchmark_format=json] [--benchmark_out=FILE]
//   HK_BENCH_THREADS=N (default: all cores) sets every library's thread count.
//
// Names read op/params/shape/impl. Counters: Mpix/s (image pixels, all channels together),
// GFLOP/s (convolutions: 2 flops per multiply-add), GB/s (bytes read + written once).
// GPU devices include copying the data to the device and the result back on every call.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_common.h"

int main(int argc, char **argv) {
    int threads = hk::num_threads();
    if (const char *env = std::getenv("HK_BENCH_THREADS")) threads = std::atoi(env);
    // oneDNN (Debian's build) threads with OpenMP, which reads this at its first parallel region.
    setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(), 1);
    if (hk::Status s = hk::set_num_threads(threads); !s.ok()) {
        std::fprintf(stderr, "%s\n", s.to_string().c_str());
        return 2;
    }
    cv::setNumThreads(threads);
    benchmark::AddCustomContext("threads (hkernels, OpenCV, oneDNN)", std::to_string(threads));
    benchmark::AddCustomContext("hkernels CPU variant", hk::cpu_variant());
    benchmark::AddCustomContext("OpenCV", cv::getVersionString());

    std::vector<hk::Device> devices;
    for (const auto &d : hk::available_devices()) devices.push_back(d.device);
    for (hk::Device d : {hk::Device::opencl, hk::Device::cuda})
        if (hk::Status s = hk::check_device(d); !s.ok())
            benchmark::AddCustomContext(std::string("skipped ") + hk::to_string(d), s.message());

    hkbench::register_filters(devices);
    hkbench::register_gabor_bank(devices);
    hkbench::register_layers(devices);
    hkbench::register_models(devices);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

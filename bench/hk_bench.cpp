// hkernels vs OpenCV (filters) and oneDNN (layers), side by side in one binary at the same
// thread count; the seed models fused vs unfused.
//
//   hk_bench [--hk_shapes=WxHxC,...] [--benchmark_filter=REGEX] [--benchmark_format=json]
//            [--benchmark_out=FILE]
//   HK_BENCH_THREADS=N (default: all cores) sets every library's thread count.
//
// Names read op/params/shape/impl. Counters: Mpix/s (image pixels, all channels together),
// GFLOP/s (convolutions: 2 flops per multiply-add), GB/s (bytes read + written once).
// GPU devices include copying the data to the device and the result back on every call.
#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench_common.h"

namespace hkbench {
std::vector<Size> &shape_override() {
    static std::vector<Size> sizes;
    return sizes;
}
}  // namespace hkbench

// Takes --hk_shapes=WxHxC,... out of argv (Google Benchmark rejects flags it does not know).
static bool parse_shapes(int &argc, char **argv) {
    const char *flag = "--hk_shapes=";
    int kept = 1;
    for (int i = 1; i < argc; i++) {
        if (std::strncmp(argv[i], flag, std::strlen(flag)) != 0) {
            argv[kept++] = argv[i];
            continue;
        }
        std::string list = argv[i] + std::strlen(flag);
        size_t pos = 0;
        while (pos <= list.size()) {
            const size_t end = std::min(list.find(',', pos), list.size());
            hkbench::Size s{};
            char tail = 0;
            if (std::sscanf(list.substr(pos, end - pos).c_str(), "%dx%dx%d%c", &s.w, &s.h, &s.c, &tail) != 3 ||
                s.w <= 0 || s.h <= 0 || s.c <= 0 || double(s.w) * s.h * s.c > 1e9) {
                std::fprintf(stderr, "hk_bench: bad shape '%s' in %s (want WxHxC, e.g. 1920x1080x1)\n",
                             list.substr(pos, end - pos).c_str(), argv[i]);
                return false;
            }
            hkbench::shape_override().push_back(s);
            pos = end + 1;
        }
    }
    argc = kept;
    return true;
}

int main(int argc, char **argv) {
    if (!parse_shapes(argc, argv)) return 2;
    int threads = hk::num_threads();
    if (const char *env = std::getenv("HK_BENCH_THREADS")) threads = std::atoi(env);
    // oneDNN (Debian's build) threads with OpenMP. libgomp reads OMP_NUM_THREADS when it is
    // loaded, before main: setting the variable here left oneDNN on every core under
    // HK_BENCH_THREADS=1 (its verbose log: nthr:2). The call sets it, as for the machine loops.
    omp_set_num_threads(threads);
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
    hkbench::register_overhead();
    hkbench::register_machine(threads);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

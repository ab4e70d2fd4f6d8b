// Device probing, the Halide runtime's error handler, CPU variant and threads.
#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>
#include <thread>

#include "hk_cpu_variant.h"
#include "internal.h"
#include "thread_pool.h"
#include "validate.h"

namespace hk {

const char *to_string(Device d) {
    switch (d) {
    case Device::cpu: return "cpu";
    case Device::opencl: return "opencl";
    case Device::cuda: return "cuda";
    case Device::automatic: return "automatic";
    }
    return "unknown";
}

namespace detail {
namespace {

// ---- Halide errors -> Status --------------------------------------------------------------
// Halide reports errors through one process-wide handler (default: print and abort). Every
// hkernels pipeline is compiled with a user_context, so the handler appends the message to the
// failing call's CallContext, whichever Halide thread raised it. Errors with no context (none
// of ours) go to stderr, as Halide's default would print them, but never abort.
void record_halide_error(void *user_context, const char *msg) noexcept try {
    std::string text = msg;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (user_context) {
        static std::mutex mutex;  // several worker threads of one call may fail at once
        std::lock_guard<std::mutex> lock(mutex);
        static_cast<CallContext *>(user_context)->add(text);
    } else {
        std::fprintf(stderr, "Halide error (outside any hkernels call): %s\n", text.c_str());
    }
} catch (...) {
    // Out of memory while recording: the pipeline still returns its error code.
}

// ---- CPU variant cap (HK_CPU_VARIANT) --------------------------------------------------------
int g_variant_cap = 99;  // highest code of generators/cpu_variant.cpp allowed

bool has_feature(int count, const uint64_t *features, int f) {
    return f / 64 < count && ((features[f / 64] >> (f % 64)) & 1);
}

int capped_can_use_target_features(int count, const uint64_t *features) {
    const int avx512[] = {halide_target_feature_avx512, halide_target_feature_avx512_skylake,
                          halide_target_feature_avx512_cannonlake,
                          halide_target_feature_avx512_sapphirerapids,
                          halide_target_feature_avx512_zen4, halide_target_feature_avx512_zen5};
    if (g_variant_cap < 3) {
        for (int f : avx512)
            if (has_feature(count, features, f)) return 0;
    }
    if (g_variant_cap < 2 && has_feature(count, features, halide_target_feature_avx2)) return 0;
    return halide_default_can_use_target_features(count, features);
}

std::atomic<int> g_num_threads{1};
// Halide's thread pool takes at most this many threads.
constexpr int kMaxThreads = 256;

}  // namespace

void init_runtime() {
    static std::once_flag once;
    std::call_once(once, [] {
        halide_set_error_handler(record_halide_error);
        if (const char *cap = std::getenv("HK_CPU_VARIANT")) {
            if (!std::strcmp(cap, "sse41")) g_variant_cap = 1;
            else if (!std::strcmp(cap, "avx2")) g_variant_cap = 2;
        }
        halide_set_custom_can_use_target_features(capped_can_use_target_features);
        // Reuse freed GPU buffers between calls instead of reallocating each time.
        halide_reuse_device_allocations(nullptr, true);
        int n = 0;
        if (const char *env = std::getenv("HL_NUM_THREADS")) n = std::atoi(env);
        if (n < 1) n = int(std::thread::hardware_concurrency());
        n = std::clamp(n, 1, kMaxThreads);
        halide_set_num_threads(n);  // Halide's own pool: loops started while the spinning pool is busy
        install_thread_pool(n);
        g_num_threads = n;
    });
}

void CallContext::add(const std::string &message) {
    for (auto &[m, count] : errors)
        if (m == message) return void(count++);
    errors.emplace_back(message, 1);
}

std::string CallContext::error() const {
    std::string all;
    for (const auto &[m, count] : errors) {
        if (!all.empty()) all += "; ";
        all += m;
        if (count > 1) all += " (reported " + std::to_string(count) + " times)";
    }
    return all;
}

Status finish_call(const char *op, Device device, int rc, CallContext &ctx, HalideTensor *const *inputs,
                   size_t count, HalideTensor &out) {
    if (rc == 0 && device != Device::cpu) rc = halide_copy_to_host(&ctx, &out.buf);
    if (device != Device::cpu) {
        // Frees (or returns to the reuse cache) what the pipeline put on the device. The views
        // wrap caller memory, so nothing may stay attached to them after the call.
        for (size_t i = 0; i < count; i++) halide_device_free(&ctx, &inputs[i]->buf);
        halide_device_free(&ctx, &out.buf);
    }
    if (rc == 0) return {};
    std::ostringstream o;
    o << op << " on " << to_string(device) << " failed (Halide error " << rc << ")";
    if (!ctx.errors.empty()) o << ": " << ctx.error();
    return {StatusCode::runtime_error, o.str()};
}

}  // namespace detail

// ---- Device probing ---------------------------------------------------------------------------
namespace {

struct Probe {
    bool present = false;
    std::string name;     // device name when present
    std::string why_not;  // reason when absent
    bool is_gpu = false;
};

// The library names are the ones Halide 21's runtime dlopens (see `strings` of the runtime
// object): a probe that opened another name could report a device Halide then cannot use.
constexpr const char *kOpenCLLibrary = "libOpenCL.so.1";
constexpr const char *kCudaLibrary = "libcuda.so";
constexpr int kMinCudaMajor = 8;  // PTX is built for HK_CUDA_CAPABILITY (sm_80 by default)

// OpenCL, through the loader Halide's runtime dlopens.
Probe probe_opencl() {
    Probe p;
#if !HK_HAVE_OPENCL
    p.why_not = "this build of hkernels has no OpenCL kernels (HK_ENABLE_OPENCL=OFF)";
    return p;
#else
    void *lib = dlopen(kOpenCLLibrary, RTLD_LAZY | RTLD_LOCAL);
    if (!lib) {
        p.why_not = std::string("no OpenCL loader: ") + kOpenCLLibrary +
                    " not found (Debian: ocl-icd-libopencl1, plus a driver such as pocl-opencl-icd)";
        return p;
    }
    using GetPlatforms = int32_t (*)(uint32_t, void **, uint32_t *);
    using GetDevices = int32_t (*)(void *, uint64_t, uint32_t, void **, uint32_t *);
    using GetDeviceInfo = int32_t (*)(void *, uint32_t, size_t, void *, size_t *);
    auto get_platforms = reinterpret_cast<GetPlatforms>(dlsym(lib, "clGetPlatformIDs"));
    auto get_devices = reinterpret_cast<GetDevices>(dlsym(lib, "clGetDeviceIDs"));
    auto get_info = reinterpret_cast<GetDeviceInfo>(dlsym(lib, "clGetDeviceInfo"));
    if (!get_platforms || !get_devices || !get_info) {
        p.why_not = std::string(kOpenCLLibrary) + " lacks clGetPlatformIDs/clGetDeviceIDs";
        return p;
    }
    constexpr uint64_t kTypeAll = 0xFFFFFFFF, kTypeGpu = 1 << 2;
    constexpr uint32_t kDeviceType = 0x1000, kDeviceName = 0x102B;
    void *platforms[16];
    uint32_t num_platforms = 0;
    if (get_platforms(16, platforms, &num_platforms) != 0 || num_platforms == 0) {
        p.why_not = "no OpenCL platform (is an ICD such as pocl-opencl-icd installed?)";
        return p;
    }
    // Halide uses the first platform (or HL_OCL_PLATFORM_NAME); report its first device.
    void *devices[16];
    uint32_t num_devices = 0;
    if (get_devices(platforms[0], kTypeAll, 16, devices, &num_devices) != 0 || num_devices == 0) {
        p.why_not = "the OpenCL platform has no device";
        return p;
    }
    char name[256] = {0};
    uint64_t type = 0;
    get_info(devices[0], kDeviceName, sizeof(name) - 1, name, nullptr);
    get_info(devices[0], kDeviceType, sizeof(type), &type, nullptr);
    p.present = true;
    p.name = name;
    p.is_gpu = (type & kTypeGpu) != 0;
    return p;
#endif
}

// CUDA, through the driver library Halide's runtime dlopens.
Probe probe_cuda() {
    Probe p;
#if !HK_HAVE_CUDA
    p.why_not = "this build of hkernels has no CUDA kernels (HK_ENABLE_CUDA=OFF)";
    return p;
#else
    void *lib = dlopen(kCudaLibrary, RTLD_LAZY | RTLD_LOCAL);
    if (!lib) {
        p.why_not = std::string("no CUDA driver: ") + kCudaLibrary +
                    " not found (no NVIDIA driver, or only libcuda.so.1 without the libcuda.so link)";
        return p;
    }
    using Init = int (*)(unsigned);
    using GetCount = int (*)(int *);
    using Get = int (*)(int *, int);
    using GetName = int (*)(char *, int, int);
    using GetAttribute = int (*)(int *, int, int);
    auto init = reinterpret_cast<Init>(dlsym(lib, "cuInit"));
    auto get_count = reinterpret_cast<GetCount>(dlsym(lib, "cuDeviceGetCount"));
    auto get = reinterpret_cast<Get>(dlsym(lib, "cuDeviceGet"));
    auto get_name = reinterpret_cast<GetName>(dlsym(lib, "cuDeviceGetName"));
    auto get_attribute = reinterpret_cast<GetAttribute>(dlsym(lib, "cuDeviceGetAttribute"));
    int count = 0, dev = 0;
    if (!init || !get_count || !get || init(0) != 0 || get_count(&count) != 0 || count == 0 ||
        get(&dev, 0) != 0) {
        p.why_not = "the CUDA driver reports no usable GPU";
        return p;
    }
    constexpr int kAttrMajor = 75, kAttrMinor = 76;  // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_*
    int major = 0, minor = 0;
    if (get_attribute) {
        get_attribute(&major, kAttrMajor, dev);
        get_attribute(&minor, kAttrMinor, dev);
    }
    char name[256] = {0};
    if (get_name) get_name(name, sizeof(name) - 1, dev);
    if (major < kMinCudaMajor) {
        p.why_not = std::string("GPU ") + name + " has compute capability " + std::to_string(major) +
                    "." + std::to_string(minor) + "; this build's CUDA kernels need 8.0 or newer";
        return p;
    }
    p.present = true;
    p.name = std::string(name) + " (sm_" + std::to_string(major) + std::to_string(minor) + ")";
    p.is_gpu = true;
    return p;
#endif
}

struct Probes {
    Probe opencl, cuda;
};

const Probes &probes() {
    static const Probes p{probe_opencl(), probe_cuda()};
    return p;
}

}  // namespace

std::vector<DeviceInfo> available_devices() {
    detail::init_runtime();
    std::vector<DeviceInfo> out;
#if defined(__aarch64__)
    out.push_back({Device::cpu, "aarch64 CPU (" + cpu_variant() + ")", false});
#else
    out.push_back({Device::cpu, "x86-64 CPU (" + cpu_variant() + ")", false});
#endif
    if (probes().opencl.present) out.push_back({Device::opencl, probes().opencl.name, probes().opencl.is_gpu});
    if (probes().cuda.present) out.push_back({Device::cuda, probes().cuda.name, true});
    return out;
}

Status check_device(Device d) {
    if (Status s = detail::check_enum(nullptr, "device", d); !s.ok()) return s;
    const Probe *p = nullptr;
    switch (d) {
    case Device::cpu:
    case Device::automatic: return {};
    case Device::opencl: p = &probes().opencl; break;
    case Device::cuda: p = &probes().cuda; break;
    }
    if (!p || p->present) return {};
    return {StatusCode::device_unavailable,
            std::string("device ") + to_string(d) + " is not available: " + p->why_not};
}

Device resolve(Device d) {
    if (d != Device::automatic) return d;
    if (probes().cuda.present) return Device::cuda;
    if (probes().opencl.present && probes().opencl.is_gpu) return Device::opencl;
    return Device::cpu;  // PoCL-style CPU OpenCL is slower than the native CPU kernels
}

std::string cpu_variant() {
    detail::init_runtime();
    static const std::string name = [] {
        int32_t code = -1;
        halide_dimension_t none{};
        halide_buffer_t buf{};
        buf.host = reinterpret_cast<uint8_t *>(&code);
        buf.type = halide_type_t(halide_type_int, 32, 1);
        buf.dimensions = 0;
        buf.dim = &none;
        if (hk_cpu_variant(&buf) != 0) return std::string("unknown");
        switch (code) {
        case 5: return std::string("avx512_sapphirerapids");
        case 4: return std::string("avx512_zen4");
        case 3: return std::string("avx512_skylake");
        case 2: return std::string("avx2");
        case 1: return std::string("sse41");
        case 11: return std::string("arm64_dot_prod_fp16");
        case 10: return std::string("arm64");
        default: return std::string("x86-64");
        }
    }();
    return name;
}

Status set_num_threads(int n) {
    detail::init_runtime();
    if (n < 1 || n > detail::kMaxThreads) {
        return {StatusCode::invalid_argument, "set_num_threads: n = " + std::to_string(n) +
                                                  " must be in [1, " + std::to_string(detail::kMaxThreads) + "]"};
    }
    halide_set_num_threads(n);
    detail::set_thread_pool_threads(n);
    detail::g_num_threads = n;
    return {};
}

int num_threads() {
    detail::init_runtime();
    return detail::g_num_threads;
}

}  // namespace hk

// Device discovery and the CPU variant chosen by Halide's dispatcher.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include "reference.h"
#include "test_util.h"

namespace {

// Whether this CPU can run a Halide CPU target (the features hkernels' target lists use).
bool cpu_supports(const std::string &target) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (target.find("avx512_skylake") != std::string::npos)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512cd");
    if (target.find("avx2") != std::string::npos)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
               __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx");
    if (target.find("sse41") != std::string::npos) return __builtin_cpu_supports("sse4.1");
    return true;
#elif defined(__aarch64__)
    const unsigned long hwcap = getauxval(AT_HWCAP);
    if (target.find("arm_dot_prod") != std::string::npos && !(hwcap & HWCAP_ASIMDDP)) return false;
    if (target.find("arm_fp16") != std::string::npos && !(hwcap & HWCAP_ASIMDHP)) return false;
    return true;
#else
    return true;
#endif
}

std::string variant_name(const std::string &target) {
    for (const char *name : {"avx512_skylake", "avx2", "sse41"})
        if (target.find(name) != std::string::npos) return name;
    if (target.rfind("arm-64", 0) == 0)
        return target.find("arm_dot_prod") != std::string::npos ? "arm64_dot_prod_fp16" : "arm64";
    return "x86-64";
}

// What the dispatcher must pick on this CPU: the first target of the build's list
// (HK_CPU_TARGETS, best first, comma-separated) this CPU can run, under the HK_CPU_VARIANT cap.
std::string expected_variant() {
    std::string targets = HK_TEST_CPU_TARGETS, best;
    const char *cap = std::getenv("HK_CPU_VARIANT");
    const std::string c = cap ? cap : "";
    for (size_t pos = 0; pos <= targets.size();) {
        const size_t end = std::min(targets.find(',', pos), targets.size());
        const std::string t = targets.substr(pos, end - pos);
        pos = end + 1;
        if (!cpu_supports(t)) continue;
        const std::string name = variant_name(t);
        // The cap (the tests run once per variant this CPU can run) skips the better ones.
        if (c == "sse41" && name != "sse41") continue;
        if (c == "avx2" && name == "avx512_skylake") continue;
        return name;
    }
    return best;
}

TEST(Devices, CpuAlwaysPresentAndVariantMatchesThisCpu) {
    auto devices = hk::available_devices();
    ASSERT_FALSE(devices.empty());
    EXPECT_EQ(devices[0].device, hk::Device::cpu);
    EXPECT_EQ(hk::cpu_variant(), expected_variant());
    EXPECT_NE(devices[0].name.find(hk::cpu_variant()), std::string::npos) << devices[0].name;
    for (const auto &d : devices) std::cout << "[ info ] " << hk::to_string(d.device) << ": " << d.name << "\n";
}

TEST(Devices, OpenCLPresentInCI) {
    HK_REQUIRE_DEVICE(hk::Device::opencl);
    bool listed = false;
    for (const auto &d : hk::available_devices()) listed |= d.device == hk::Device::opencl;
    EXPECT_TRUE(listed);
}

TEST(Devices, AutomaticPicksAPresentDevice) {
    const hk::Device d = hk::resolve(hk::Device::automatic);
    EXPECT_NE(d, hk::Device::automatic);
    EXPECT_TRUE(hk::check_device(d).ok());
    if (hk::check_device(hk::Device::cuda).ok()) EXPECT_EQ(d, hk::Device::cuda);
    // And a call through it works.
    ref::Image in = ref::random_image({1, 16, 16, 1}, 3), out({1, 16, 16, 1});
    hk::BoxFilterParams p;
    p.ksize_w = p.ksize_h = 3;
    ASSERT_TRUE(hk::box_filter(in.cview(), out.view(), p, hk::Device::automatic).ok());
    double want = 0;
    for (int y = 4; y <= 6; y++)
        for (int x = 4; x <= 6; x++) want += in.at(0, y, x, 0) / 9.0;
    EXPECT_NEAR(out.at(0, 5, 5, 0), want, 1e-5);
}

}  // namespace

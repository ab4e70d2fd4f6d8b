// Device discovery and the CPU variant chosen by Halide's dispatcher.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "reference.h"
#include "test_util.h"

namespace {

// What the dispatcher must pick on this CPU given the list avx512_skylake, avx2, sse41.
std::string expected_variant() {
    __builtin_cpu_init();
    std::string best = "sse41";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx"))
        best = "avx2";
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512cd"))
        best = "avx512_skylake";
    // HK_CPU_VARIANT caps the choice (the tests run once per variant this CPU can run).
    if (const char *cap = std::getenv("HK_CPU_VARIANT")) {
        const std::string c = cap;
        if (c == "sse41" || (c == "avx2" && best == "avx512_skylake")) best = c;
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

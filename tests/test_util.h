// Helpers shared by the tests.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "hk/hk.h"

namespace hktest {

inline bool in_ci() {
    const char *ci = std::getenv("CI");
    return ci && (!std::strcmp(ci, "true") || !std::strcmp(ci, "1"));
}

// Skips a test whose device is absent, with the reason. OpenCL is required in CI (it runs on
// PoCL there), so under CI=true a missing OpenCL device fails instead of skipping.
#define HK_REQUIRE_DEVICE(dev)                                                               \
    do {                                                                                     \
        hk::Status hk_dev_status = hk::check_device(dev);                                    \
        if (!hk_dev_status.ok()) {                                                           \
            if ((dev) == hk::Device::opencl && hktest::in_ci()) {                            \
                FAIL() << "CI=true requires an OpenCL device (PoCL): "                      \
                       << hk_dev_status.message();                                           \
            }                                                                                \
            GTEST_SKIP() << hk_dev_status.message();                                         \
        }                                                                                    \
    } while (0)

// An op's output shape for `in`; a failure of hk::output_shape fails the test.
template <typename Params>
hk::Shape shape_of(const hk::Shape &in, const Params &p) {
    hk::Shape out{1, 1, 1, 1};
    const hk::Status s = hk::output_shape(in, p, &out);
    if (!s.ok()) ADD_FAILURE() << "output_shape: " << s.to_string();
    return out;
}

inline std::string name_of(hk::Border b) {
    switch (b) {
    case hk::Border::zero: return "zero";
    case hk::Border::replicate: return "replicate";
    case hk::Border::reflect101: return "reflect101";
    }
    return "unknown";
}

inline const char *name_of(hk::Activation k) {
    const char *names[] = {"none", "relu", "leaky_relu", "relu6", "sigmoid", "tanh", "gelu_erf", "gelu_tanh"};
    return names[int(k)];
}

// Activation tests run every kind on every device.
struct DeviceActivation {
    hk::Device device;
    hk::Activation kind;
};

inline std::vector<DeviceActivation> every_device_and_activation() {
    std::vector<DeviceActivation> v;
    for (hk::Device d : {hk::Device::cpu, hk::Device::opencl, hk::Device::cuda})
        for (int k = 0; k <= int(hk::Activation::gelu_tanh); k++) v.push_back({d, hk::Activation(k)});
    return v;
}

inline std::string device_activation_name(const ::testing::TestParamInfo<DeviceActivation> &i) {
    return std::string(hk::to_string(i.param.device)) + "_" + name_of(i.param.kind);
}

}  // namespace hktest

// Helpers shared by the tests.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

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

inline std::string name_of(hk::Border b) {
    switch (b) {
    case hk::Border::zero: return "zero";
    case hk::Border::replicate: return "replicate";
    case hk::Border::reflect101: return "reflect101";
    }
    return "unknown";
}

}  // namespace hktest

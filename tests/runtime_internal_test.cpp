// Halide errors reach the caller once each: every worker thread of a failing pipeline reports
// the same message through the process-wide handler, which keeps one copy and a count.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "HalideRuntime.h"
#include "internal.h"

namespace {

size_t occurrences(const std::string &text, const std::string &what) {
    size_t n = 0;
    for (size_t p = 0; (p = text.find(what, p)) != std::string::npos; p += what.size()) n++;
    return n;
}

TEST(HalideErrors, EachMessageOnceWithItsCount) {
    hk::detail::init_runtime();  // installs hkernels' handler
    hk::detail::CallContext ctx;
    const std::string repeated = "Total allocation for buffer padded exceeds 2^31 - 1";
    std::vector<std::thread> workers;
    for (int t = 0; t < 16; t++)
        workers.emplace_back([&] { halide_error(&ctx, (repeated + "\n").c_str()); });
    for (std::thread &w : workers) w.join();
    halide_error(&ctx, "another error");

    hk::detail::HalideTensor out(nullptr, {{1, 1}});
    const hk::Status s = hk::detail::finish_call("conv2d", hk::Device::cpu, -1, ctx, nullptr, 0, out);
    EXPECT_EQ(s.code(), hk::StatusCode::runtime_error);
    EXPECT_EQ(occurrences(s.message(), repeated), 1u) << s.message();
    EXPECT_NE(s.message().find(repeated + " (reported 16 times); another error"), std::string::npos) << s.message();
}

}  // namespace

// Halide errors reach the caller once each: every worker thread of a failing pipeline reports
// the same message through the process-wide handler, which keeps one copy and a count. And the
// layout conv2d weights are packed into.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "HalideRuntime.h"
#include "internal.h"
#include "ops.h"

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

// conv2d weights packing (hk::PackedConv2DWeights, and the one-shot call's): rows of out_channels
// floats on 64-byte boundaries, padded to 16 floats; the caller's memory borrowed only when the
// call may and it is in that layout already.
namespace packing {

bool on_cache_line(const float *p) { return reinterpret_cast<uintptr_t>(p) % 64 == 0; }

TEST(ConvWeightsPacking, RowsAlignedAndPaddedBiasZeros) {
    const int kh = 2, kw = 3, in = 2, out = 5;
    std::vector<float> w(kh * kw * in * out + 1);
    for (size_t i = 0; i < w.size(); i++) w[i] = float(i);
    hk::detail::ConvWeights p;
    // From one float past an allocation start: never 64-byte aligned, so copied either way.
    hk::detail::pack_conv_weights({w.data() + 1, kh, kw, in, out}, nullptr, /*may_borrow=*/true, &p);
    EXPECT_EQ(p.row_stride, 16);
    EXPECT_TRUE(on_cache_line(p.w.data));
    for (int r = 0; r < kh * kw * in; r++)
        for (int o = 0; o < out; o++) ASSERT_EQ(p.w.data[r * 16 + o], w[1 + r * out + o]) << r << " " << o;
    for (int o = 0; o < out; o++) EXPECT_EQ(p.bias[o], 0.0f);
}

TEST(ConvWeightsPacking, BorrowsOnlyWhenAllowedAndAlreadyPacked) {
    const int out = 32;
    std::vector<float> storage(9 * 3 * out + 16, 1.0f), bias(out, 2.0f);
    float *aligned = storage.data();
    while (!on_cache_line(aligned)) aligned++;
    const hk::FilterView w{aligned, 3, 3, 3, out};
    hk::detail::ConvWeights borrowed, copied;
    hk::detail::pack_conv_weights(w, bias.data(), /*may_borrow=*/true, &borrowed);
    EXPECT_EQ(borrowed.w.data, aligned);
    EXPECT_EQ(borrowed.bias, bias.data());
    EXPECT_EQ(borrowed.row_stride, out);
    hk::detail::pack_conv_weights(w, bias.data(), /*may_borrow=*/false, &copied);
    EXPECT_NE(copied.w.data, aligned);
    EXPECT_NE(copied.bias, bias.data());
    EXPECT_TRUE(on_cache_line(copied.w.data));
    EXPECT_EQ(std::vector<float>(copied.w.data, copied.w.data + 9 * 3 * out), std::vector<float>(aligned, aligned + 9 * 3 * out));
    EXPECT_EQ(std::vector<float>(copied.bias, copied.bias + out), bias);
}

}  // namespace packing

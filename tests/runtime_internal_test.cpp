// Halide errors reach the caller once each: every worker thread of a failing pipeline reports
// the same message through the process-wide handler, which keeps one copy and a count. And the
// layout conv2d weights are packed into, and the parallel loops of the kernels.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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

// hkernels' halide_do_par_for (thread_pool.cpp), which every CPU kernel's parallel loop calls:
// each task once, the first error returned, nested and concurrent loops.
namespace par_for {

struct Counts {
    std::vector<std::atomic<int>> runs;
    int fail_at = -1;
    explicit Counts(int n) : runs(n) {}
};

int count_task(void *, int i, uint8_t *closure) {
    auto *c = reinterpret_cast<Counts *>(closure);
    c->runs[i].fetch_add(1);
    return i == c->fail_at ? -7 : 0;
}

int nested_task(void *uc, int i, uint8_t *closure) {
    auto *inner = reinterpret_cast<std::vector<Counts> *>(closure);
    return halide_do_par_for(uc, count_task, 0, 16, reinterpret_cast<uint8_t *>(&(*inner)[i]));
}

// A loop that shows whether a second thread takes part: tasks run on the calling thread wait
// (up to 10 s, however slowly a worker starts) until one runs elsewhere.
struct TwoThreadProbe {
    Counts counts{50};
    std::thread::id caller = std::this_thread::get_id();
    std::atomic<int> ran_elsewhere{0};
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
};

int probe_task(void *, int i, uint8_t *closure) {
    auto *p = reinterpret_cast<TwoThreadProbe *>(closure);
    if (std::this_thread::get_id() != p->caller) {
        p->ran_elsewhere.fetch_add(1);
    } else {
        while (p->ran_elsewhere.load() == 0 && std::chrono::steady_clock::now() < p->deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    p->counts.runs[i].fetch_add(1);
    return 0;
}

void expect_each_once(const Counts &c) {
    for (size_t i = 0; i < c.runs.size(); i++) ASSERT_EQ(c.runs[i].load(), 1) << "task " << i;
}

TEST(ParallelLoops, EachTaskOnceFirstErrorNestedAndConcurrent) {
    hk::detail::init_runtime();  // installs the pool
    const int threads_before = hk::num_threads();
    ASSERT_TRUE(hk::set_num_threads(2).ok());
    for (int size : {1, 2, 3, 1000}) {
        Counts c(size);
        EXPECT_EQ(halide_do_par_for(nullptr, count_task, 0, size, reinterpret_cast<uint8_t *>(&c)), 0);
        expect_each_once(c);
    }
    Counts failing(1000);
    failing.fail_at = 500;
    EXPECT_EQ(halide_do_par_for(nullptr, count_task, 0, 1000, reinterpret_cast<uint8_t *>(&failing)), -7);
    EXPECT_EQ(failing.runs[500].load(), 1);
    for (auto &r : failing.runs) EXPECT_LE(r.load(), 1);  // the rest at most once (skipped after the error)

    std::vector<Counts> inner;
    for (int i = 0; i < 8; i++) inner.emplace_back(16);
    EXPECT_EQ(halide_do_par_for(nullptr, nested_task, 0, 8, reinterpret_cast<uint8_t *>(&inner)), 0);
    for (const Counts &c : inner) expect_each_once(c);

    // Loops from several threads at once: one on the pool, the others on Halide's.
    std::vector<std::thread> callers;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; t++)
        callers.emplace_back([&] {
            for (int rep = 0; rep < 200; rep++) {
                Counts c(37);
                if (halide_do_par_for(nullptr, count_task, 0, 37, reinterpret_cast<uint8_t *>(&c)) != 0) wrong++;
                for (auto &r : c.runs) wrong += r.load() != 1;
            }
        });
    for (std::thread &t : callers) t.join();
    EXPECT_EQ(wrong.load(), 0);

    // A child forked after the pool ran (Python's multiprocessing) runs loops on a pool of its own;
    // an alarm ends it if it hangs on the parent's workers, which it does not have.
    const pid_t child = fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
        alarm(30);
        TwoThreadProbe probe;
        if (halide_do_par_for(nullptr, probe_task, 0, 50, reinterpret_cast<uint8_t *>(&probe)) != 0) _exit(1);
        const auto &runs = probe.counts.runs;
        if (!std::all_of(runs.begin(), runs.end(), [](auto &r) { return r.load() == 1; })) _exit(2);
        if (probe.ran_elsewhere.load() == 0) _exit(3);  // the child's own worker took no task
        _exit(0);
    }
    int child_status = 0;
    ASSERT_EQ(waitpid(child, &child_status, 0), child);
    EXPECT_TRUE(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0) << "child status " << child_status;

    ASSERT_TRUE(hk::set_num_threads(threads_before).ok());
}

}  // namespace par_for

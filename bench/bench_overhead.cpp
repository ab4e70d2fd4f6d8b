// Per-call overhead: an op on a tiny tensor (relu on 1x1x1x8), where the kernel's own work is a
// few nanoseconds, through hk::activation, through a built hk::Sequential of that one layer, and
// through the generated Halide pipeline called directly (the floor: Halide's own call cost, its
// multi-target dispatch included). Counters: heap allocations per call (operator new and malloc
// are counted in this binary), so a per-call allocation that a plan could make once shows.
#include <HalideBuffer.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "bench_common.h"
#include "hk_activation_cpu.h"  // generated: the pipeline hk::activation runs on the CPU

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Every operator new of the process goes through here (the count is what matters, not speed).
void *operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

namespace hkbench {

namespace {

constexpr hk::Shape kTiny{1, 1, 1, 8};

// Times `call` and reports its allocations per call.
template <typename F>
void time_with_allocations(benchmark::State &st, F call) {
    if (!call()) {
        st.SkipWithError("the call failed");
        return;
    }
    const long before = g_allocations.load();
    for (auto _ : st) benchmark::DoNotOptimize(call());
    st.counters["allocs/call"] = double(g_allocations.load() - before) / double(st.iterations());
}

void bench_hk_call(benchmark::State &st) {
    std::vector<float> in(8, -0.5f), out(8);
    const hk::ConstTensor tin = hk::ConstTensor::dense(in.data(), kTiny);
    const hk::Tensor tout = hk::Tensor::dense(out.data(), kTiny);
    hk::ActivationParams relu;
    relu.kind = hk::Activation::relu;
    time_with_allocations(st, [&] { return hk::activation(tin, tout, relu, hk::Device::cpu).ok(); });
}

void bench_hk_sequential(benchmark::State &st) {
    std::vector<float> in(8, -0.5f), out(8);
    hk::ActivationParams relu;
    relu.kind = hk::Activation::relu;
    hk::Sequential model(kTiny, hk::Device::cpu);
    model.add(relu);
    if (!model.build().ok()) return st.SkipWithError("build failed");
    const hk::ConstTensor tin = hk::ConstTensor::dense(in.data(), kTiny);
    const hk::Tensor tout = hk::Tensor::dense(out.data(), kTiny);
    time_with_allocations(st, [&] { return model.run(tin, tout).ok(); });
}

void bench_halide_direct(benchmark::State &st) {
    std::vector<float> in(8, -0.5f), out(8);
    {  // one hk call first: hk's runtime set-up (error handler, thread count) as in the other rows
        hk::ActivationParams relu;
        relu.kind = hk::Activation::relu;
        (void)hk::activation(hk::ConstTensor::dense(in.data(), kTiny), hk::Tensor::dense(out.data(), kTiny), relu,
                             hk::Device::cpu);
    }
    Halide::Runtime::Buffer<float> bin(in.data(), 8, 1, 1, 1), bout(out.data(), 8, 1, 1, 1);
    time_with_allocations(st, [&] {
        return hk_activation_cpu(nullptr, bin.raw_buffer(), int(hk::Activation::relu), 0.f, bout.raw_buffer()) == 0;
    });
}

}  // namespace

void register_overhead() {
    add("call_overhead/relu/1x1x1x8/hk_cpu", bench_hk_call);
    add("call_overhead/relu/1x1x1x8/hk_sequential_cpu", bench_hk_sequential);
    add("call_overhead/relu/1x1x1x8/halide_pipeline_direct", bench_halide_direct);
}

}  // namespace hkbench

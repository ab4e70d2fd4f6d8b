// The machine's own limits, measured in the same binary as the kernels so a report can say
// how close each kernel gets: a STREAM-style triad a[i] = b[i] + s * c[i] over working sets
// from L1-sized to DRAM-sized (GB/s: 12 bytes per element, 2 loads and a store), and an FMA
// loop at the widest vector width the CPU has (GFLOP/s: 2 per lane per FMA). Both use the
// benchmark's thread count (OpenMP threads pinned by nothing but the OS, like the kernels').
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "bench_common.h"

namespace hkbench {

namespace {

void triad(benchmark::State &st, size_t working_set_bytes, int threads) {
    const size_t n = std::max<size_t>(working_set_bytes / 12, 1024);
    std::vector<float> a(n, 0.0f), b(n, 1.0f), c(n, 2.0f);
    // Small sets repeat inside one parallel region, so the region's start is not what is timed.
    const int reps = int(std::max<size_t>(1, (size_t(64) << 20) / (12 * n)));
    for (auto _ : st) {
#pragma omp parallel num_threads(threads)
        {
            const int t = omp_get_thread_num(), nt = omp_get_num_threads();
            const size_t lo = n * size_t(t) / size_t(nt), hi = n * size_t(t + 1) / size_t(nt);
            float *pa = a.data();
            const float *pb = b.data(), *pc = c.data();
            for (int r = 0; r < reps; r++) {
#pragma omp simd
                for (size_t i = lo; i < hi; i++) pa[i] = pb[i] + 0.5f * pc[i];
                benchmark::ClobberMemory();
            }
        }
    }
    set_gbytes(st, 12.0 * double(n) * reps);
}

// Independent FMA chains (more than FMA latency x FMA units), in registers. Intrinsics, not
// a * b + c: ISO C++ mode does not contract a multiply and an add into one FMA.
constexpr int kChains = 12;

__attribute__((target("avx512f"))) double fma_avx512(int64_t iters) {
    __m512 acc[kChains];
    const __m512 mul = _mm512_set1_ps(0.999999f), add = _mm512_set1_ps(1e-7f);
    for (int c = 0; c < kChains; c++) acc[c] = _mm512_set1_ps(float(c));
    for (int64_t it = 0; it < iters; it++)
        for (int c = 0; c < kChains; c++) acc[c] = _mm512_fmadd_ps(acc[c], mul, add);
    __m512 sum = acc[0];
    for (int c = 1; c < kChains; c++) sum = _mm512_add_ps(sum, acc[c]);
    return double(_mm512_reduce_add_ps(sum));
}

__attribute__((target("avx2,fma"))) double fma_avx2(int64_t iters) {
    __m256 acc[kChains];
    const __m256 mul = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-7f);
    for (int c = 0; c < kChains; c++) acc[c] = _mm256_set1_ps(float(c));
    for (int64_t it = 0; it < iters; it++)
        for (int c = 0; c < kChains; c++) acc[c] = _mm256_fmadd_ps(acc[c], mul, add);
    __m256 sum = acc[0];
    for (int c = 1; c < kChains; c++) sum = _mm256_add_ps(sum, acc[c]);
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, sum);
    double total = 0;
    for (float v : lanes) total += v;
    return total;
}

void fma_peak(benchmark::State &st, int threads) {
    const bool avx512 = __builtin_cpu_supports("avx512f");
    const int lanes = avx512 ? 16 : 8;
    const int64_t iters = 1 << 22;
    double sink = 0;
    for (auto _ : st) {
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        sink += avx512 ? fma_avx512(iters) : fma_avx2(iters);
    }
    benchmark::DoNotOptimize(sink);
    set_gflops(st, 2.0 * lanes * kChains * double(iters) * threads);
    st.SetLabel(avx512 ? "avx512" : "avx2+fma");
}

}  // namespace

void register_machine(int threads) {
    for (size_t kib = 16; kib <= (size_t(256) << 10); kib *= 2)
        add("machine/triad/" + std::to_string(kib) + "KiB",
            [=](benchmark::State &st) { triad(st, kib << 10, threads); });
    add("machine/fma_peak", [=](benchmark::State &st) { fma_peak(st, threads); });
}

}  // namespace hkbench

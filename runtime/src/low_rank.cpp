#include "low_rank.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <cmath>
#include <numeric>

namespace hk::detail {

namespace {

LowRankKernel factor(const std::vector<double> &kernel, int kw, int kh, double rel_tol) {
    // One-sided Jacobi (Hestenes) on A = K (kh x kw): rotate column pairs until orthogonal;
    // then A = U S V^T with S the column norms.
    const int m = kh, n = kw;
    std::vector<double> a(kernel), v(size_t(n) * n, 0.0);
    for (int i = 0; i < n; i++) v[size_t(i) * n + i] = 1;
    auto col = [&](std::vector<double> &mat, int rows, int c, int r) -> double & { return mat[size_t(r) * (mat.size() / rows) + c]; };
    for (int sweep = 0; sweep < 30; sweep++) {  // converges quadratically: ~10 sweeps
        bool rotated = false;
        for (int p = 0; p < n - 1; p++)
            for (int q = p + 1; q < n; q++) {
                double alpha = 0, beta = 0, gamma = 0;
                for (int r = 0; r < m; r++) {
                    const double ap = col(a, m, p, r), aq = col(a, m, q, r);
                    alpha += ap * ap;
                    beta += aq * aq;
                    gamma += ap * aq;
                }
                // Columns orthogonal to 1e-12: far below the factorization's own tolerance.
                if (std::fabs(gamma) <= 1e-12 * std::sqrt(alpha * beta) || gamma == 0) continue;
                rotated = true;
                const double zeta = (beta - alpha) / (2 * gamma);
                const double t = (zeta >= 0 ? 1 : -1) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
                const double c = 1 / std::sqrt(1 + t * t), s = c * t;
                for (int r = 0; r < m; r++) {
                    const double ap = col(a, m, p, r), aq = col(a, m, q, r);
                    col(a, m, p, r) = c * ap - s * aq;
                    col(a, m, q, r) = s * ap + c * aq;
                }
                for (int r = 0; r < n; r++) {
                    const double vp = col(v, n, p, r), vq = col(v, n, q, r);
                    col(v, n, p, r) = c * vp - s * vq;
                    col(v, n, q, r) = s * vp + c * vq;
                }
            }
        if (!rotated) break;
    }
    // Singular values = column norms of the rotated A; order them.
    std::vector<double> sigma(size_t(n), 0.0);
    for (int p = 0; p < n; p++) {
        for (int r = 0; r < m; r++) sigma[size_t(p)] += col(a, m, p, r) * col(a, m, p, r);
        sigma[size_t(p)] = std::sqrt(sigma[size_t(p)]);
    }
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int x, int y) { return sigma[size_t(x)] > sigma[size_t(y)]; });

    LowRankKernel out;
    for (double k : kernel) out.kernel_l1 += std::fabs(k);
    std::vector<double> approx(kernel.size(), 0.0);
    for (int r = 0; r < std::min(m, n); r++) {
        const int p = order[size_t(r)];
        // Term r: column (vertical) = A[:, p] (already scaled by sigma), row = V[:, p].
        for (int j = 0; j < m; j++)
            for (int i = 0; i < n; i++) approx[size_t(j) * n + i] += col(a, m, p, j) * col(v, n, p, i);
        out.rank = r + 1;
        for (int j = 0; j < m; j++) out.col.push_back(float(col(a, m, p, j)));
        for (int i = 0; i < n; i++) out.row.push_back(float(col(v, n, p, i)));
        out.residual_l1 = 0;
        for (size_t e = 0; e < kernel.size(); e++) out.residual_l1 += std::fabs(kernel[e] - approx[e]);
        if (out.residual_l1 <= rel_tol * out.kernel_l1) break;
    }
    return out;
}

}  // namespace

LowRankKernel factor_kernel(const std::vector<double> &kernel, int kw, int kh, double rel_tol) {
    // Callers repeat kernels (a filter applied frame after frame): keep the last few results.
    struct Entry {
        std::vector<double> kernel;
        int kw, kh;
        double tol;
        LowRankKernel result;
    };
    static std::mutex mutex;
    static std::deque<Entry> cache;
    constexpr size_t kCacheSize = 16;
    {
        std::lock_guard<std::mutex> lock(mutex);
        for (const Entry &e : cache)
            if (e.kw == kw && e.kh == kh && e.tol == rel_tol && e.kernel == kernel) return e.result;
    }
    LowRankKernel result = factor(kernel, kw, kh, rel_tol);
    std::lock_guard<std::mutex> lock(mutex);
    cache.push_front({kernel, kw, kh, rel_tol, result});
    if (cache.size() > kCacheSize) cache.pop_back();
    return result;
}

}  // namespace hk::detail

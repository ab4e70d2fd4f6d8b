// Low-rank factorization of small 2D kernels: K(j, i) ~= sum_r col(j, r) row(i, r), from a
// one-sided Jacobi SVD in double. Used to run a low-rank kernel as a few separable passes.
#pragma once
#include <vector>

namespace hk::detail {

struct LowRankKernel {
    int rank = 0;
    std::vector<float> row;  // (i, r) at i + kw * r
    std::vector<float> col;  // (j, r) at j + kh * r
    double residual_l1 = 0;  // sum |K - K_rank|
    double kernel_l1 = 0;    // sum |K|
};

// The smallest rank whose residual is within rel_tol * sum|K|. kernel: kh rows of kw values.
LowRankKernel factor_kernel(const std::vector<double> &kernel, int kw, int kh, double rel_tol);

}  // namespace hk::detail

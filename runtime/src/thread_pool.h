// hkernels' parallel loops (thread_pool.cpp): Halide's halide_do_par_for on a pool of workers
// that spin between calls before they sleep.
#pragma once

namespace hk::detail {

// Makes the pool Halide's do_par_for, with `threads` threads (the caller's included).
void install_thread_pool(int threads);
void set_thread_pool_threads(int threads);

}  // namespace hk::detail

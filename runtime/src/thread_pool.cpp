// hkernels' halide_do_par_for: the kernels' parallel loops on a pool whose workers spin for a
// while after each loop before they sleep, as OpenMP runtimes (oneDNN's) do.
//
// Why: Halide's own pool lets a worker spin for 40 sched_yield()s (tens of microseconds), then
// sleep on a condition variable. A call that follows within a millisecond finds the worker asleep
// and starts alone; on a 2-vCPU VM the worker then joined late, often by a large part of a call:
// 3x3 64->64 conv2d at 56x56 took 1.2-2.1 ms at 2 threads (2.2 ms on one thread) while oneDNN's
// spinning OpenMP threads held 1.04-1.10 ms (docs/tuning.md).
//
// One loop at a time runs on this pool: a loop started while another runs (another caller
// thread) goes to Halide's own pool, and a loop nested in a task runs serially in that task.
#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "HalideRuntime.h"

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HK_CPU_RELAX() _mm_pause()
#else
#define HK_CPU_RELAX() std::this_thread::yield()
#endif

namespace hk::detail {

namespace {

// How long an idle worker spins before it sleeps. A few tenths of a millisecond cover the gap
// between the calls of a layer-by-layer run; the cost is that much CPU after the last call.
constexpr std::chrono::microseconds kSpin{500};

thread_local bool t_in_task = false;  // this thread runs a task of the pool's loop

struct Loop {
    halide_task_t task = nullptr;
    void *user_context = nullptr;
    uint8_t *closure = nullptr;
    int min = 0, size = 0;
    int max_workers = 0;          // workers with a smaller index take part
    std::atomic<int> next{0};     // the next task index to take
    std::atomic<int> finished{0};
    std::atomic<int> error{0};    // the first task's nonzero result

    // Once a task has failed, the tasks not yet started are counted as finished without running:
    // the loop's result is an error either way, and the pipeline stops at it.
    void run_tasks() {
        t_in_task = true;
        for (int i; (i = next.fetch_add(1)) < size;) {
            if (error.load(std::memory_order_relaxed) == 0) {
                const int r = task(user_context, min + i, closure);
                if (r != 0) {
                    int none = 0;
                    error.compare_exchange_strong(none, r);
                }
            }
            finished.fetch_add(1);
        }
        t_in_task = false;
    }
};

class Pool {
public:
    void set_threads(int n) { threads_.store(n); }
    int threads() const { return threads_.load(); }

    int do_par_for(void *uc, halide_task_t f, int min, int size, uint8_t *closure) {
        const int threads = threads_.load();
        if (size <= 0) return 0;
        if (size == 1 || threads == 1 || t_in_task) return run_serially(uc, f, min, size, closure);
        std::unique_lock<std::mutex> caller(caller_, std::try_to_lock);
        if (!caller.owns_lock()) return halide_default_do_par_for(uc, f, min, size, closure);
        const int workers = start_workers(threads - 1);
        if (workers == 0) return halide_default_do_par_for(uc, f, min, size, closure);

        Loop loop;
        loop.task = f, loop.user_context = uc, loop.closure = closure, loop.min = min, loop.size = size;
        loop.max_workers = std::min(workers, size - 1);
        current_.store(&loop);
        {
            std::lock_guard<std::mutex> lock(sleep_mutex_);
            generation_.fetch_add(1);
        }
        if (sleeping_.load() > 0) wake_.notify_all();
        loop.run_tasks();
        while (loop.finished.load() < size) HK_CPU_RELAX();
        // No worker may still hold `loop` (on this stack) when it goes: workers count themselves
        // in before they read current_, so after current_ is cleared only those counted can.
        current_.store(nullptr);
        while (in_loop_.load() != 0) HK_CPU_RELAX();
        return loop.error.load();
    }

private:
    static int run_serially(void *uc, halide_task_t f, int min, int size, uint8_t *closure) {
        for (int i = 0; i < size; i++)
            if (const int r = f(uc, min + i, closure); r != 0) return r;
        return 0;
    }

    // Starts workers up to n; returns how many there are. A thread that cannot be started (the
    // process's thread limit) must not throw through Halide's C frames: the loop goes on with
    // the workers there are, and the next loop tries again.
    int start_workers(int n) {
        while (workers_started_ < n) {
            const int index = workers_started_;
            // The generation before this loop's: a worker that starts after the loop is published
            // still joins it.
            const uint64_t seen = generation_.load();
            try {
                std::thread([this, index, seen] { work(index, seen); }).detach();  // lives as long as the process
            } catch (...) {
                break;
            }
            workers_started_++;
        }
        return std::min(workers_started_, n);
    }

    void work(int index, uint64_t seen) {
        for (;;) {
            // Spin, then sleep, until a new loop is published.
            const auto spin_until = std::chrono::steady_clock::now() + kSpin;
            for (int polls = 0; generation_.load() == seen; polls++) {
                HK_CPU_RELAX();
                if ((polls & 255) == 255 && std::chrono::steady_clock::now() > spin_until) {
                    std::unique_lock<std::mutex> lock(sleep_mutex_);
                    sleeping_.fetch_add(1);
                    wake_.wait(lock, [&] { return generation_.load() != seen; });
                    sleeping_.fetch_sub(1);
                }
            }
            seen = generation_.load();
            in_loop_.fetch_add(1);
            Loop *loop = current_.load();
            if (loop != nullptr && index < loop->max_workers) loop->run_tasks();
            in_loop_.fetch_sub(1);
        }
    }

    std::atomic<int> threads_{1};
    std::mutex caller_;                  // one loop at a time
    std::atomic<Loop *> current_{nullptr};
    std::atomic<uint64_t> generation_{0};  // bumped for each loop, under sleep_mutex_
    std::atomic<int> in_loop_{0};
    std::atomic<int> sleeping_{0};
    std::mutex sleep_mutex_;
    std::condition_variable wake_;
    int workers_started_ = 0;  // under caller_
};

// Never destroyed: detached workers may still spin or sleep in it at exit.
std::atomic<Pool *> g_pool{nullptr};

// A child forked while the pool ran (Python's multiprocessing) has none of its workers, and its
// mutexes may be held by threads that no longer exist: the child starts a fresh pool (the old one
// is leaked, as the process's pool always is) with the same thread count.
void fresh_pool_in_child() {
    Pool *old = g_pool.load();
    Pool *fresh = new Pool;
    if (old != nullptr) fresh->set_threads(old->threads());
    g_pool.store(fresh);
}

Pool &pool() {
    static const bool installed = [] {
        g_pool.store(new Pool);
#if defined(__unix__) || defined(__APPLE__)
        pthread_atfork(nullptr, nullptr, fresh_pool_in_child);
#endif
        return true;
    }();
    (void)installed;
    return *g_pool.load();
}

int spinning_do_par_for(void *uc, halide_task_t f, int min, int size, uint8_t *closure) {
    return pool().do_par_for(uc, f, min, size, closure);
}

}  // namespace

void install_thread_pool(int threads) {
    pool().set_threads(threads);
    halide_set_custom_do_par_for(spinning_do_par_for);
}

void set_thread_pool_threads(int threads) { pool().set_threads(threads); }

}  // namespace hk::detail

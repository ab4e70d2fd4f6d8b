// Schedule of the elementwise activation (generators/activation.h).
//   CPU: one straight-line vector loop per activation kind along the innermost (contiguous)
//     dimension; blocks of rows in parallel.
//   GPU: one thread per pixel, its channels in a loop.
#pragma once
#include "Halide.h"
#include "generators/dims.h"
#include "hk/enums.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

// `output`: the generator's output; `kind`: its hk::Activation input.
inline void schedule_activation(Halide::Func output, const Halide::Expr &kind, const Halide::Target &t,
                                Knobs &knobs) {
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        gpu_tile_pixels(output, kPixelBlocks.pick(t, knobs));
        return;
    }
    const int vec = t.natural_vector_size<float>();
    Halide::Var yn("yn");
    // Tasks of rows_per_task rows: a packed row of a 56x56x64 layer is 14 KiB, and a task per row
    // spent more time in the thread pool's lock than in the loop. Guarded, not shifted inwards:
    // in place (output = input), a row computed twice would be activated twice.
    output.fuse(d.y, d.n, yn)
        .parallel(yn, knobs.get("rows_per_task", 8, {1, 4, 8, 16}), kGuard)
        .vectorize(d.c, knobs.get("vectors_per_step", 2, {1, 2, 4}) * vec, kGuard);
    for (int k = int(Activation::none); k <= int(Activation::gelu_tanh); k++) output.specialize(kind == k);
}

}  // namespace hk::sched

// Schedule of the fused box filter -> pooling model (generators/box_pool.cpp).
//   CPU: bands of output rows in parallel; each band computes just the box sums it needs
//     (schedules/box_filter.h's stages) into small planar buffers that stay in cache, then
//     pools them. No intermediate image ever exists.
//   GPU: the box's stages as kernels of their own, then one thread per pooled pixel.
#pragma once
#include "Halide.h"
#include "generators/box_filter.h"
#include "generators/dims.h"
#include "generators/pooling.h"
#include "schedules/box_filter.h"
#include "schedules/common.h"
#include "schedules/knobs.h"
#include "schedules/pooling.h"

namespace hk::sched {

// `output`: the generator's output, defined as pool.output over box.output.
inline void schedule_box_pool(gen::BoxDef box, gen::PoolDef pool, Halide::Func output, const Halide::Expr &pixel_stride,
                              const Halide::Target &t, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    if (t.has_gpu_feature()) {
        const GpuBlock block = kPixelBlocks.pick(t, knobs);
        box_stages_root(box, block);
        pool.acc.compute_at(output, gpu_tile_pixels(output, block));
        specialize_direct(output, box, box.direct_rows);  // each branch computes one horizontal pass
        return;
    }
    const int vec = t.natural_vector_size<float>();
    Var yo("yo"), yi("yi"), band("band");
    // About strips_per_task box strips of rows per band, so running sums are rarely cut.
    const Expr band_rows = max(1, knobs.get("strips_per_task", 4, {2, 4, 8}) * box.strip_y / pool.stride_y);
    output.split(d.y, yo, yi, band_rows, kGuard)
        .fuse(yo, d.n, band)
        .parallel(band)
        .vectorize(d.x, vec, kGuard);
    // The seed's case (VALID max pooling of one dense channel) in branches of its own: without
    // them every window index is select(windows_inside, x, clamp(x)), which vectorizes to a
    // gather, both pooling kinds are computed, and the output x stride (1 here, unknown to the
    // compiler) makes each store a scatter (measured: 1024x1024x1 fused 3.46 ms, unfused 1.73).
    const Expr dense_max = pool.windows_inside && pool.is_max && one_dense_channel(output.output_buffer());
    specialize_box(output, box, dense_max);
    box_stages_at(box, output, band, vec, pixel_stride);
    pool.acc.compute_at(output, d.x).vectorize(d.x, vec, kGuard);
    pool.acc.update().vectorize(d.x, vec, kGuard);
    // 2x2 windows (Keras' default) unrolled: the two stride-2 loads of a row become one dense
    // load and a shuffle instead of a lane-by-lane gather.
    pool.acc.update().specialize(two_by_two_window(pool)).unroll(pool.window.x, 2, kGuard).unroll(pool.window.y, 2, kGuard);
}

}  // namespace hk::sched

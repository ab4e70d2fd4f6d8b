// Schedule of the FFT correlation (generators/fft.h, generators/fft_filter.cpp).
//   CPU: bands of tile rows in parallel, the bordered input staged per band. Per tile pair and
//     channel every stage runs over the whole T x T tile (128 KiB for T = 128: in L2),
//     vectorized across the dimension it does not transform, so each butterfly is a dense
//     vector op: the y stages across x (natural storage), the x stages across y (storage
//     transposed). The two changes of layout are copies transposed in registers, a vec x vec
//     block at a time.
//   GPU: none. A GPU FFT wants its own design (a tile per block in shared memory); this kernel
//     is built for the CPU only and the runtime runs GPUs through the direct path.
#pragma once
#include "Halide.h"
#include "generators/box_filter.h"
#include "generators/dims.h"
#include "generators/fft.h"
#include "schedules/border.h"
#include "schedules/common.h"
#include "schedules/knobs.h"

namespace hk::sched {

inline void schedule_fft_filter(gen::FftCorrelation fft, Halide::Func bordered, gen::ChannelSum channel_sum,
                                const Halide::Expr &sum_channels, Halide::Func output,
                                const Halide::Expr &pixel_stride, const Halide::Target &t, Knobs &knobs) {
    using namespace Halide;
    const gen::Dims d;
    Var i("i"), j("j");
    const int T = fft.size, B = fft.block;
    for (const gen::FftStages *s : {&fft.forward, &fft.inverse, &fft.kernel_fft})
        for (Func tw : s->twiddles) tw.compute_root();
    fft.kernel_padded.compute_root();
    if (t.has_gpu_feature())  // CMakeLists.txt builds this kernel for the CPU only
        throw CompileError("hk_fft_filter: no GPU schedule (the FFT path runs on the CPU)");
    const int vec = t.natural_vector_size<float>();
    // The kernel's spectrum: once per call, vectorized across the dimension each stage keeps.
    for (size_t s = 0; s < fft.kernel_fft.stages.size(); s++) {
        Func f = fft.kernel_fft.stages[s];
        if (fft.kernel_fft.dims[s] == 1) f.compute_root().vectorize(i, vec);
        else f.compute_root().reorder_storage(j, i).reorder(j, i).vectorize(j, vec);
    }
    // Output blocks: pairs of B-wide tiles along x (h: which of the pair), B rows; channels
    // inside the pair so one tile's stages serve one channel at a time.
    Var xo("xo"), xi("xi"), h("h"), yo("yo"), yi("yi"), band("band");
    const int band_tiles = knobs.get("tile_rows_per_task", 2, {1, 2, 4});
    output.split(d.x, xo, xi, 2 * B, kGuard)
        .split(xi, h, xi, B, kGuard)
        .split(d.y, yo, yi, B, kGuard)
        .reorder(xi, h, yi, d.c, xo, yo, d.n)
        .split(yo, band, yo, band_tiles, kGuard)
        .fuse(band, d.n, band)
        .parallel(band)
        .vectorize(xi, vec, kGuard)
        .unroll(h);
    stage_bordered(bordered, output, band, vec, pixel_stride);
    channel_sum.sum.compute_at(output, band).reorder_storage(d.x, d.c, d.y, d.n).vectorize(d.x, vec, kGuard);
    channel_sum.sum.update().reorder(d.x, channel_sum.channels, d.y).vectorize(d.x, vec, kGuard);
    // Every stage of one tile pair and channel, at the channel loop: T x T, constant size.
    fft.tile.compute_at(output, d.c).vectorize(i, vec);
    for (const gen::FftStages *stages : {&fft.forward, &fft.inverse}) {
        for (size_t s = 0; s < stages->stages.size(); s++) {
            Func f = stages->stages[s];
            f.compute_at(output, d.c).bound_storage(i, T).bound_storage(j, T);
            if (stages->dims[s] == 1) f.vectorize(i, vec);
            else f.reorder_storage(j, i).reorder(j, i).vectorize(j, vec);
        }
    }
    // The two changes of layout, each a copy of the stage before it in the next stage's storage
    // order, made a vec x vec block at a time: the block loaded as vec dense vectors, the copy
    // stored as vec dense vectors of the other dimension, which LLVM turns into register
    // shuffles (Halide's test/performance/vectorize_transpose). Read directly, each vector of
    // the next stage was vec single-float loads: 40% of the FFT path's profile (k31 1080p, AVX2).
    const int half = int(fft.forward.stages.size()) / 2;  // log2(T) y stages, then log2(T) x stages
    auto transpose_into = [&](Func before, Func after, const Var &from_inner, const Var &to_inner) {
        Var fo("fo"), to("to"), fi("fi"), ti("ti");
        Func copy = before.in(after);
        copy.compute_at(output, d.c).bound_storage(i, T).bound_storage(j, T).reorder_storage(to_inner, from_inner)
            .tile(to_inner, from_inner, to, fo, ti, fi, vec, vec)
            .vectorize(ti)
            .unroll(fi);
        before.in(copy).compute_at(copy, to).vectorize(from_inner).unroll(to_inner);
    };
    transpose_into(fft.forward.stages[half - 1], fft.forward.stages[half], i, j);  // y stages -> x stages
    transpose_into(fft.inverse.stages[half - 1], fft.inverse.stages[half], j, i);  // x stages -> y stages
    output.specialize(sum_channels);
}

}  // namespace hk::sched

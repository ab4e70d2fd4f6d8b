// 2D correlation (Gabor, filter2d), CPU (x86 multi-target). Direct 2D correlation, register-blocked: each tile of
// 2 vectors x 4 rows keeps 8 accumulators in registers while the taps loop runs. The bordered
// input is staged once per band of rows, stored planar (x innermost), so every tap is a dense
// vector load whatever the channel count.
#pragma once

namespace hk::sched::cpu {

inline void correlate(CorrelateFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    // At least 2 vectors: with one, Halide's bounds for the register tile exceed its
    // bound_storage on some shapes (a run-time error the tuner's checks caught).
    const int tile_w = std::max(2, Knobs::pick(k.tile_vectors, 2)) * vec, tile_h = Knobs::pick(k.tile_rows, 4);
    const int band_tiles = Knobs::pick(k.band, 8);  // rows of tiles per parallel task
    Var xo("xo"), xin("xin"), yo("yo"), yin("yin"), band("band");
    Func out = f.output;

    // Channel loop outside the tile: conv is then one channel x tile_w x tile_h, a constant-size
    // block whose accumulators stay in registers across the whole taps loop.
    out.tile(f.x, f.y, xo, yo, xin, yin, tile_w, tile_h, kGuard)
        .reorder(xin, yin, xo, f.c, yo, f.n)
        .split(yo, band, yo, band_tiles, kGuard)
        .fuse(band, f.n, band)
        .parallel(band)
        .vectorize(xin, vec, kGuard);

    f.bounded.compute_at(out, band).reorder_storage(f.x, f.c, f.y, f.n).vectorize(f.x, vec);

    f.conv.compute_at(out, xo)
        .bound_storage(f.c, 1)
        .bound_storage(f.x, tile_w)
        .bound_storage(f.y, tile_h)
        .vectorize(f.x, vec)
        .unroll(f.x)
        .unroll(f.y);
    f.conv.update()
        .reorder(f.x, f.y, f.taps.x, f.taps.y, f.taps.z, f.c)
        .vectorize(f.x, vec)
        .unroll(f.x)
        .unroll(f.y);

    // Dense stores when the output is single-channel and packed.
    if (f.activation.defined()) specialize_common_activations(out, f.activation, f.out_x_stride == 1);
    out.specialize(f.out_x_stride == 1);
}

}  // namespace hk::sched::cpu

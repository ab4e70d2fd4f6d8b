// Fused seed models, CPU. Bands of output rows run in parallel; each band computes just the
// intermediate rows it needs (Gabor responses, box sums) into small planar buffers that stay
// in cache, then the final layer reads them there. No intermediate image ever exists.
#pragma once

namespace hk::sched::cpu {

inline void gabor_conv(GaborConvFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    const int tile_o = Knobs::pick(k.tile_vectors, 2) * vec, tile_x = Knobs::pick(k.tile_rows, 4);
    const int band_rows = Knobs::pick(k.band, 8);
    Var oo("oo"), oi("oi"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), band("band"), c("c");
    Func out = f.output;
    out.split(f.o, oo, oi, tile_o, kGuard)
        .split(f.x, xo, xi, tile_x, kGuard)
        .split(f.y, yo, yi, band_rows, kGuard)
        .reorder(oi, xi, oo, xo, yi, yo, f.n)
        .fuse(yo, f.n, band)
        .parallel(band)
        .vectorize(oi, vec, kGuard);

    // The band's bordered input, planar: dense along x.
    f.bounded.compute_at(out, band).reorder_storage(f.x, c, f.y, f.n).vectorize(f.x, vec);
    // The convolution's zero-padded input (the Gabor responses), staged per band as in
    // cpu/conv2d.h. It is filled tile by tile, each tile's Gabor sums computed in registers as
    // in cpu/correlate.h: 2 vectors x 4 rows of one channel.
    Var pxo("pxo"), pyo("pyo"), pxi("pxi"), pyi("pyi");
    f.padded.compute_at(out, band)
        .reorder_storage(f.x, c, f.y, f.n)
        .tile(f.x, f.y, pxo, pyo, pxi, pyi, 2 * vec, 4, TailStrategy::RoundUp)  // whole tiles
        .reorder(pxi, pyi, pxo, c, pyo)
        .vectorize(pxi, vec);
    f.gabor.compute_at(f.padded, pxo)
        .bound_storage(c, 1)
        .bound_storage(f.x, 2 * vec)
        .bound_storage(f.y, 4)
        .vectorize(f.x, vec)
        .unroll(f.x)
        .unroll(f.y);
    f.gabor.update()
        .reorder(f.x, f.y, f.gabor_taps.x, f.gabor_taps.y, f.gabor_taps.z, c)
        .vectorize(f.x, vec)
        .unroll(f.x)
        .unroll(f.y);
    conv_register_block(f.conv, f.conv_taps, f.o, f.x, out, oo, vec, tile_o, tile_x);
    // groups == 1 turns the group index (a vector division per tap) into 0.
    specialize_common_activations(out, f.activation, f.groups == 1);
    out.specialize(f.groups == 1);
}

inline void box_pool(BoxPoolFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    Var yo("yo"), band("band");
    Func out = f.output;
    // About `band` (default 4) box strips of rows per band, so running sums are rarely cut.
    out.split(f.y, yo, f.yi, max(1, Knobs::pick(k.band, 4) * f.strip_y / f.stride_y), kGuard)
        .fuse(yo, f.n, band)
        .parallel(band)
        .vectorize(f.x, vec, kGuard);
    specialize_box(out, f.direct_rows);
    box_stages_at(f.stages(), out, band, vec);
    f.acc.compute_at(out, f.x).vectorize(f.x, vec, kGuard);
    f.acc.update().vectorize(f.x, vec, kGuard);
}

}  // namespace hk::sched::cpu

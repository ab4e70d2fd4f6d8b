// Gabor bank, CPU: as cpu/correlate.h, one output channel (one filter on one input channel)
// per tile: 2 vectors x 4 rows of accumulators in registers; the bordered input is staged once
// per band for all filters.
#pragma once

namespace hk::sched::cpu {

inline void gabor_bank(GaborBankFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    // At least 2 vectors: with one, Halide's bounds for the register tile exceed its
    // bound_storage on some shapes (a run-time error the tuner's checks caught).
    const int tile_w = std::max(2, Knobs::pick(k.tile_vectors, 2)) * vec, tile_h = Knobs::pick(k.tile_rows, 4);
    const int band_tiles = Knobs::pick(k.band, 8);  // rows of tiles per parallel task
    Var xo("xo"), xin("xin"), yo("yo"), yin("yin"), band("band");
    Func out = f.output;
    out.tile(f.x, f.y, xo, yo, xin, yin, tile_w, tile_h, kGuard)
        .reorder(xin, yin, xo, f.o, yo, f.n)
        .split(yo, band, yo, band_tiles, kGuard)
        .fuse(band, f.n, band)
        .parallel(band)
        .vectorize(xin, vec, kGuard);
    f.bounded.compute_at(out, band).reorder_storage(f.x, f.c, f.y, f.n).vectorize(f.x, vec);
    f.conv.compute_at(out, xo)
        .bound_storage(f.o, 1)
        .bound_storage(f.x, tile_w)
        .bound_storage(f.y, tile_h)
        .vectorize(f.x, vec)
        .unroll(f.x)
        .unroll(f.y);
    f.conv.update()
        .reorder(f.x, f.y, f.taps.x, f.taps.y, f.o)
        .vectorize(f.x, vec)
        .unroll(f.x)
        .unroll(f.y);
}

}  // namespace hk::sched::cpu

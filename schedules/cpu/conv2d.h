// conv2d, CPU: direct convolution register-blocked over 2 vectors of output channels x 4
// pixels (8 accumulators in registers); per tap, one weight vector pair and 4 broadcast
// inputs. The zero-padded input rows a row of outputs needs are staged once.
#pragma once

namespace hk::sched::cpu {

// The accumulators of a tile_o (output channels) x tile_x (pixels) block, computed at loop `at`
// of `out`: constant-size storage and unrolled, so they stay in registers over the taps loop.
inline void conv_register_block(Halide::Func conv, Halide::RDom taps, Halide::Var o, Halide::Var x,
                                Halide::Func out, Halide::Var at, int vec, int tile_o, int tile_x) {
    conv.compute_at(out, at)
        .bound_storage(o, tile_o)
        .bound_storage(x, tile_x)
        .vectorize(o, vec, kGuard)  // weights and bias end at O: never read past them
        .unroll(o)
        .unroll(x);
    conv.update().reorder(o, x, taps.x, taps.y, taps.z).vectorize(o, vec, kGuard).unroll(o).unroll(x);
}

inline void conv2d(Conv2DFuncs f, const Halide::Target &t, const Knobs &k) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    const int tile_o = Knobs::pick(k.tile_vectors, 2) * vec, tile_x = Knobs::pick(k.tile_rows, 4);
    Var oo("oo"), oi("oi"), xo("xo"), xi("xi"), yn("yn");
    Func out = f.output;
    out.split(f.o, oo, oi, tile_o, kGuard)
        .split(f.x, xo, xi, tile_x, kGuard)
        .reorder(oi, xi, oo, xo, f.y, f.n)
        .fuse(f.y, f.n, yn)
        .parallel(yn)
        .vectorize(oi, vec, kGuard);

    f.padded.compute_at(out, yn);
    conv_register_block(f.conv, f.taps, f.o, f.x, out, oo, vec, tile_o, tile_x);

    specialize_common_activations(out, f.activation, f.groups == 1);
    out.specialize(f.groups == 1);
}

}  // namespace hk::sched::cpu

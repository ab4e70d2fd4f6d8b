// conv2d, CPU: direct convolution register-blocked over 2 vectors of output channels x 4
// pixels (8 accumulators in registers); per tap, one weight vector pair and 4 broadcast
// inputs. The zero-padded input rows a row of outputs needs are staged once.
#pragma once

namespace hk::sched::cpu {

inline void conv2d(Conv2DFuncs f, const Halide::Target &t) {
    using namespace Halide;
    const int vec = t.natural_vector_size<float>();
    const int tile_o = 2 * vec, tile_x = 4;
    Var oo("oo"), oi("oi"), xo("xo"), xi("xi"), yn("yn");
    Func out = f.output;
    out.split(f.o, oo, oi, tile_o, kGuard)
        .split(f.x, xo, xi, tile_x, kGuard)
        .reorder(oi, xi, oo, xo, f.y, f.n)
        .fuse(f.y, f.n, yn)
        .parallel(yn)
        .vectorize(oi, vec, kGuard);

    f.padded.compute_at(out, yn);
    f.conv.compute_at(out, oo)
        .bound_storage(f.o, tile_o)
        .bound_storage(f.x, tile_x)
        .vectorize(f.o, vec, kGuard)  // weights and bias end at O: never read past them
        .unroll(f.o)
        .unroll(f.x);
    f.conv.update()
        .reorder(f.o, f.x, f.taps.x, f.taps.y, f.taps.z)
        .vectorize(f.o, vec, kGuard)
        .unroll(f.o)
        .unroll(f.x);

    specialize_common_activations(out, f.activation, f.groups == 1);
    out.specialize(f.groups == 1);
}

}  // namespace hk::sched::cpu

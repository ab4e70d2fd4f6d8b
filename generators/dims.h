// The pure dimensions every algorithm here is written over. Halide matches Vars by name, so an
// algorithm fragment, its generator and its schedule each declaring `Dims d;` name the same
// loops: NHWC memory is (c, x, y, n), innermost first; o is an output channel.
#pragma once
#include "Halide.h"

namespace hk::gen {

struct Dims {
    Halide::Var c{"c"}, o{"o"}, x{"x"}, y{"y"}, n{"n"};
};

}  // namespace hk::gen

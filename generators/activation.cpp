// Elementwise activation of an NHWC tensor (algorithm). See activation.h for the functions.
// The runtime hands packed rows over as one long channel dimension (x folded into c), so the
// innermost dimension is contiguous whatever the channel count.
#include "Halide.h"
#include "activation.h"
#include "schedules/activation.h"

namespace {

using namespace Halide;

class Activation : public Generator<Activation> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    Input<int32_t> kind{"kind"};             // hk::gen::ActivationKind
    Input<float> alpha{"alpha"};             // leaky relu slope
    Output<Buffer<float, 4>> output{"output"};

    void generate() { output(c, x, y, n) = hk::gen::activate(input(c, x, y, n), kind, alpha); }

    void schedule() {
        hk::sched::ActivationFuncs f{output, kind, c, x, y, n};
        if (!using_autoscheduler()) hk::sched::schedule_activation(f, get_target());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"};
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Activation, hk_activation)

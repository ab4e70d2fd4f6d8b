// Elementwise activation of an NHWC tensor (algorithm). See activation.h for the functions.
// The runtime hands packed rows over as one long channel dimension (x folded into c), so the
// innermost dimension is contiguous whatever the channel count.
#include "Halide.h"
#include "activation.h"
#include "schedules/activation.h"
#include "schedules/tunable.h"

namespace {

using namespace Halide;

class Activation : public hk::sched::Tunable<Activation> {
public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    Input<int32_t> kind{"kind"};             // hk::gen::ActivationKind
    Input<float> alpha{"alpha"};             // leaky relu slope
    Output<Buffer<float, 4>> output{"output"};

    void generate() { output(c, x, y, n) = hk::gen::activate(input(c, x, y, n), kind, alpha); }

    void schedule() {
        if (using_autoscheduler()) {  // relu over 256x256x32
            input.set_estimates({{0, 32}, {0, 256}, {0, 256}, {0, 1}});
            output.set_estimates({{0, 32}, {0, 256}, {0, 256}, {0, 1}});
            kind.set_estimate(1), alpha.set_estimate(0.0f);
            return;
        }
        if (apply_checked_in()) return;
        hk::sched::schedule_activation({output, kind, c, x, y, n}, get_target(), knobs());
    }

private:
    Var c{"c"}, x{"x"}, y{"y"}, n{"n"};
};

}  // namespace

HALIDE_REGISTER_GENERATOR(Activation, hk_activation)

// Elementwise activation of an NHWC tensor (algorithm in activation.h). The runtime hands
// packed rows over as one long channel dimension (x folded into c), so the innermost dimension
// is contiguous whatever the channel count.
#include "Halide.h"
#include "activation.h"
#include "dims.h"
#include "kernel_generator.h"
#include "schedules/activation.h"

namespace {

using namespace Halide;

class ActivationGenerator : public hk::gen::KernelGenerator<ActivationGenerator> {
    // The algorithm's stages: generate() defines them, schedule_by_hand() schedules them.

public:
    Input<Buffer<float, 4>> input{"input"};  // (c, x, y, n)
    Input<int32_t> kind{"kind"};             // hk::Activation
    Input<float> alpha{"alpha"};             // leaky relu slope
    Output<Buffer<float, 4>> output{"output"};

    void generate() { output(d.c, d.x, d.y, d.n) = hk::gen::activate(input(d.c, d.x, d.y, d.n), kind, alpha); }

    void schedule_by_hand(hk::sched::Knobs &k) { hk::sched::schedule_activation(output, kind, get_target(), k); }

    void estimates() {  // relu over 256x256x32
        input.set_estimates(hk::gen::nhwc_estimate(32, 256, 256));
        output.set_estimates(hk::gen::nhwc_estimate(32, 256, 256));
        kind.set_estimate(int(hk::Activation::relu)), alpha.set_estimate(0.0f);
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(ActivationGenerator, hk_activation)

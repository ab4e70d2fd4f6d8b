// Probe: reports which sub-target of the CPU multi-target list Halide's dispatcher picks.
// It is compiled with the very list the kernels use, so the dispatcher's choice here is its
// choice for every kernel (Halide has no official query for this: halide/Halide#4924).
#include "Halide.h"

namespace {

using namespace Halide;

class CpuVariant : public Generator<CpuVariant> {
public:
    Output<Buffer<int32_t, 0>> variant{"variant"};

    void generate() {
        // Codes must match hk::detail::cpu_variant_name in runtime/src/device.cpp.
        const Target t = get_target();
        int code = 0;
        if (t.arch == Target::ARM) code = t.has_feature(Target::ARMDotProd) ? 11 : 10;
        else if (t.has_feature(Target::AVX512_SapphireRapids)) code = 5;
        else if (t.has_feature(Target::AVX512_Zen4)) code = 4;
        else if (t.has_feature(Target::AVX512_Skylake)) code = 3;
        else if (t.has_feature(Target::AVX2)) code = 2;
        else if (t.has_feature(Target::SSE41)) code = 1;
        variant() = code;
    }
};

}  // namespace

HALIDE_REGISTER_GENERATOR(CpuVariant, hk_cpu_variant)

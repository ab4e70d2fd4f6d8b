// Schedule of the Gabor bank (generators/gabor_bank.h). The filters' taps are computed once per
// call (on the host for GPU targets).
//   CPU: as the correlation (schedules/correlate.h), one output channel (one filter on one
//     input channel) per register tile; the bordered input is staged once per band for all
//     filters.
//   GPU: the bordered input materialized once, then one thread per output pixel, its output
//     channels in a loop, accumulators in registers.
#pragma once
#include "Halide.h"
#include "generators/dims.h"
#include "generators/gabor_bank.h"
#include "schedules/border.h"
#include "schedules/common.h"
#include "schedules/correlate.h"
#include "schedules/knobs.h"

namespace hk::sched {

// `output`: the generator's output, defined as bank.output.
inline void schedule_gabor_bank(gen::GaborBankDef bank, Halide::Func output, const Halide::Expr &pixel_stride,
                                const Halide::Target &t,
                                Knobs &knobs) {
    const gen::Dims d;
    bank.weights.compute_root();
    if (t.has_gpu_feature()) {
        const GpuBlock block = kPixelBlocks.pick(t, knobs);
        bordered_on_gpu(bank.input, block);
        bank.sum.compute_at(output, gpu_tile_pixels(output, block));
        return;
    }
    const RegisterTile tile(t, knobs);
    const TileLoops loops = cpu_tiles(output, d.o, tile, knobs);
    stage_bordered(bank.input, output, loops.band, tile.vec, pixel_stride);
    register_tile(bank.sum, bank.taps, d.o, output, loops.tile_x, tile.vec, tile.width, tile.rows);
}

}  // namespace hk::sched

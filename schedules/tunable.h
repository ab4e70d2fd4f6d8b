// The base of every hkernels generator: the hand schedules' knobs as generator parameters, and
// the checked-in autoscheduler schedules the build may pick instead of the hand schedule.
//
// The build (cmake/HkSchedules.cmake) decides per kernel and target class, from
// schedules/<class>/tuned.json: either knob values (tile_vectors=3 ...), or
// checked_in_schedule=<name> naming a fresh schedules/<class>/auto/*.schedule.h. It compiles
// the fresh ones into the generator through the generated header hk_checked_in_schedules.h.
#pragma once
#include <string>

#include "Halide.h"
#include "hk_checked_in_schedules.h"  // generated: apply_checked_in_schedule(name, ...)
#include "schedules/common.h"

namespace hk::sched {

template <typename T>
class Tunable : public Halide::Generator<T> {
protected:
    // Knobs (see Knobs in schedules/common.h); 0 = the schedule's default.
    Halide::GeneratorParam<int> tile_vectors{"tile_vectors", 0};
    Halide::GeneratorParam<int> tile_rows{"tile_rows", 0};
    Halide::GeneratorParam<int> band{"band", 0};
    Halide::GeneratorParam<int> gpu_x{"gpu_x", 0};
    Halide::GeneratorParam<int> gpu_y{"gpu_y", 0};
    // Name of a checked-in autoscheduler schedule to apply instead of the hand schedule.
    Halide::GeneratorParam<std::string> checked_in_schedule{"checked_in_schedule", ""};

    Knobs knobs() const { return {tile_vectors, tile_rows, band, gpu_x, gpu_y}; }

    // Applies the checked-in schedule the build chose, if any; false: use the hand schedule.
    bool apply_checked_in() {
        const std::string name = checked_in_schedule;
        if (name.empty()) return false;
        if (!apply_checked_in_schedule(name, this->get_pipeline(), this->get_target())) {
            throw Halide::CompileError("hkernels: no checked-in schedule named '" + name +
                                       "' was compiled into this generator (stale or missing: see "
                                       "the warnings of the CMake configure step)");
        }
        return true;
    }
};

}  // namespace hk::sched

// The hand schedules' tunable knobs. The build passes them per kernel and target class as one
// generator parameter, knobs=name:value,... (from schedules/<class>/tuned.json, written by
// `./hk tune`). Each schedule reads the knobs it has by name, with its default and the values
// the tuner tries: an untuned kernel builds exactly as written, and a knob the schedule does not
// read is an error (a typo in tuned.json fails the build instead of being ignored).
#pragma once
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "Halide.h"

namespace hk::sched {

class Knobs {
public:
    struct Declared {
        std::string name;
        int fallback;
        std::vector<int> tune_values;
    };

    Knobs() = default;
    explicit Knobs(const std::string &spec) {
        std::stringstream items(spec);
        std::string item;
        while (std::getline(items, item, ',')) {
            if (item.empty()) continue;
            const size_t colon = item.find(':');
            char *end = nullptr;
            const long value = colon == std::string::npos ? 0 : std::strtol(item.c_str() + colon + 1, &end, 10);
            if (colon == std::string::npos || end == nullptr || *end != '\0' || value < 0)
                throw Halide::CompileError("hkernels: knob '" + item + "' is not name:value (value >= 0)");
            given_[item.substr(0, colon)] = int(value);
        }
    }

    // The value of knob `name`: the given one, or `fallback` (also for 0: "the default").
    // `tune_values` are what ./hk tune tries.
    int get(const std::string &name, int fallback, std::initializer_list<int> tune_values = {}) {
        declared_.push_back({name, fallback, tune_values});
        auto it = given_.find(name);
        return it != given_.end() && it->second > 0 ? it->second : fallback;
    }

    // Throws if a knob was given that the schedule never read.
    void check_all_read(const std::string &kernel) const {
        for (const auto &[name, value] : given_) {
            bool read = false;
            for (const Declared &d : declared_) read = read || d.name == name;
            if (!read) {
                std::string known;
                for (const Declared &d : declared_) known += (known.empty() ? "" : ", ") + d.name;
                throw Halide::CompileError("hkernels: " + kernel + " has no knob '" + name +
                                           "' on this target (its knobs: " + (known.empty() ? "none" : known) + ")");
            }
        }
    }

    const std::vector<Declared> &declared() const { return declared_; }

private:
    std::map<std::string, int> given_;
    std::vector<Declared> declared_;
};

}  // namespace hk::sched

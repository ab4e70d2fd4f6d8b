// The hand schedules' tunable knobs. The build passes them per kernel and target class as one
// generator parameter, knobs=name:value,... (from schedules/<class>/tuned.json, written by
// `./hk tune`). Each schedule reads the knobs it has by name, with its default and the values
// the tuner tries: an untuned kernel builds exactly as written, and a knob the schedule does not
// read is an error (a typo in tuned.json fails the build instead of being ignored).
//
// CPU knobs are measured per CPU variant: `variant.name:value` (avx2.rows_per_task:64) applies
// only to the generator instance compiling that variant of the multi-target library, so a value
// timed on an AVX2 machine never reaches the AVX-512 code. A variant given no value keeps the
// schedule's default, which the schedules derive from the target (register file, vector width).
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

// The CPU variant a target compiles, by the names of HK_CPU_TARGETS, tuned.json and
// HK_CPU_VARIANT: "avx512_skylake", "avx2", "sse41"; "" for GPU and other targets.
inline std::string cpu_variant_name(const Halide::Target &t) {
    if (t.has_gpu_feature() || t.arch != Halide::Target::X86) return "";
    if (t.has_feature(Halide::Target::AVX512_Skylake)) return "avx512_skylake";
    if (t.has_feature(Halide::Target::AVX2)) return "avx2";
    if (t.has_feature(Halide::Target::SSE41)) return "sse41";
    return "";
}

class Knobs {
public:
    struct Declared {
        std::string name;
        int fallback;
        std::vector<int> tune_values;
    };

    Knobs() = default;
    // `variant`: the CPU variant being compiled (cpu_variant_name()), "" for other targets.
    explicit Knobs(const std::string &spec, const std::string &variant = "") {
        std::stringstream items(spec);
        std::string item;
        std::map<std::string, int> for_variant;
        while (std::getline(items, item, ',')) {
            if (item.empty()) continue;
            const size_t colon = item.find(':');
            char *end = nullptr;
            const long value = colon == std::string::npos ? 0 : std::strtol(item.c_str() + colon + 1, &end, 10);
            if (colon == std::string::npos || end == nullptr || *end != '\0' || value < 0)
                throw Halide::CompileError("hkernels: knob '" + item + "' is not [variant.]name:value (value >= 0)");
            std::string name = item.substr(0, colon);
            const size_t dot = name.find('.');
            if (dot == std::string::npos) {
                given_[name] = int(value);
            } else if (name.substr(0, dot) == variant) {
                for_variant[name.substr(dot + 1)] = int(value);
            }  // another variant's value: not this generator instance's
        }
        for (const auto &[name, value] : for_variant) given_[name] = value;  // the variant's own wins
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
    std::map<std::string, int> given_;  // the values for this target (its variant's, else the common ones)
    std::vector<Declared> declared_;
};

}  // namespace hk::sched

# Which schedule each kernel is built with: the hand schedule with tuned knobs, or a checked-in
# autoscheduler schedule (schedules/<class>/auto/<kernel>.<autoscheduler>.schedule.h).
#
#   schedules/<class>/tuned.json   written by `./hk tune`: per kernel, "schedule" ("hand" or an
#                                  autoscheduler's name) and the hand schedule's "knobs"; for the
#                                  cpu class the knobs are per CPU variant ("variants": {"avx2":
#                                  {"knobs": ..., "tuned": where and when it was measured}}).
#   *.schedule.h provenance line   written by `./hk autoschedule`:
#     // hk-provenance: kernel=K class=C generator=G params=P autoscheduler=A halide=V target=T algorithm=H
#
# A checked-in schedule is used only while it matches: the same Halide version, and the same
# algorithm hash H (the generator's source, the generators/ headers it includes, its params).
# Otherwise the build warns by name and the kernel falls back to its hand schedule.
#
# Script mode (used by tools/autoschedule.py, so the hash has one definition):
#   cmake -DGENERATOR=hk_gabor -DPARAMS=input.type=float32 -P cmake/HkSchedules.cmake

get_filename_component(HK_SOURCE_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
if (NOT DEFINED HK_SCHEDULES_SOURCE_DIR)
    set(HK_SCHEDULES_SOURCE_DIR "${CMAKE_BINARY_DIR}")  # where the hk_checked_in_<generator>.cpp go
endif ()

# The generators/ files an algorithm is made of: the file registering `generator`, and the
# generators/ headers it includes, recursively. (schedules/ headers are not the algorithm.)
function(hk_algorithm_files generator out_var)
    file(GLOB sources "${HK_SOURCE_ROOT}/generators/*.cpp")
    set(todo "")
    foreach (src IN LISTS sources)
        file(STRINGS "${src}" hits REGEX "HALIDE_REGISTER_GENERATOR\\([A-Za-z0-9_]+, ${generator}\\)")
        if (hits)
            list(APPEND todo "${src}")
        endif ()
    endforeach ()
    if (NOT todo)
        message(FATAL_ERROR "hkernels: no generator registered as '${generator}' in generators/")
    endif ()
    set(done "")
    while (todo)
        list(POP_FRONT todo file)
        if (file IN_LIST done)
            continue()
        endif ()
        list(APPEND done "${file}")
        file(STRINGS "${file}" includes REGEX "^#include \"[a-z0-9_]+\\.h\"")
        foreach (line IN LISTS includes)
            string(REGEX REPLACE "^#include \"([a-z0-9_]+\\.h)\".*" "\\1" header "${line}")
            if (EXISTS "${HK_SOURCE_ROOT}/generators/${header}")
                list(APPEND todo "${HK_SOURCE_ROOT}/generators/${header}")
            endif ()
        endforeach ()
    endwhile ()
    list(SORT done)
    set(${out_var} "${done}" PARENT_SCOPE)
endfunction()

# SHA-256 over the algorithm's files (paths relative to the source root) and the params.
function(hk_algorithm_hash generator params out_var)
    hk_algorithm_files(${generator} files)
    set(text "generator=${generator}\nparams=${params}\n")
    foreach (file IN LISTS files)
        file(RELATIVE_PATH rel "${HK_SOURCE_ROOT}" "${file}")
        file(READ "${file}" content)
        string(APPEND text "--- ${rel}\n${content}")
    endforeach ()
    string(SHA256 hash "${text}")
    set(${out_var} "${hash}" PARENT_SCOPE)
    set(${out_var}_FILES "${files}" PARENT_SCOPE)
endfunction()

if (CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
    hk_algorithm_hash("${GENERATOR}" "${PARAMS}" hash)
    execute_process(COMMAND ${CMAKE_COMMAND} -E echo "${hash}")
    return()
endif ()

# Reconfigure when `file` changes (a no-op in script mode, where tests include this file).
function(hk_configure_depends file)
    if (NOT CMAKE_SCRIPT_MODE_FILE)
        set_property(DIRECTORY "${HK_SOURCE_ROOT}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
    endif ()
endfunction()

# Reads every checked-in schedule once; keeps the fresh ones in HK_FRESH_SCHEDULES (registry
# names <kernel>_<class>_<autoscheduler>) and, for stale ones, why in HK_STALE_<name>. The
# fresh ones of each generator go into its registry (hk_write_checked_in_registry).
function(hk_collect_checked_in_schedules classes)
    set(fresh "")
    get_property(generators GLOBAL PROPERTY HK_CHECKED_IN_GENERATORS)
    foreach (generator IN LISTS generators)  # a fresh start when called again (tests)
        set_property(GLOBAL PROPERTY HK_CHECKED_IN_${generator} "")
    endforeach ()
    foreach (class IN LISTS classes)
        file(GLOB files "${HK_SOURCE_ROOT}/schedules/${class}/auto/*.schedule.h")
        foreach (file IN LISTS files)
            hk_configure_depends("${file}")
            file(STRINGS "${file}" provenance LIMIT_COUNT 1 REGEX "^// hk-provenance: ")
            file(RELATIVE_PATH rel "${HK_SOURCE_ROOT}" "${file}")
            set(fields kernel class generator params autoscheduler halide target algorithm)
            foreach (field IN LISTS fields)
                set(${field} "")
                if (provenance MATCHES " ${field}=([^ ]*)")
                    set(${field} "${CMAKE_MATCH_1}")
                endif ()
            endforeach ()
            if (NOT kernel OR NOT generator OR NOT autoscheduler OR NOT algorithm)
                message(WARNING "hkernels: ${rel} has no complete hk-provenance line: ignored")
                continue()
            endif ()
            string(TOLOWER "${autoscheduler}" scheduler)
            set(name "${kernel}_${class}_${scheduler}")
            hk_algorithm_hash(${generator} "${params}" current)
            foreach (dep IN LISTS current_FILES)
                hk_configure_depends("${dep}")
            endforeach ()
            if (NOT halide STREQUAL Halide_VERSION)
                set(HK_STALE_${name} "${rel} was made with Halide ${halide}, this build uses Halide ${Halide_VERSION}" PARENT_SCOPE)
            elseif (NOT algorithm STREQUAL current)
                set(HK_STALE_${name} "${rel} was made from another version of the algorithm (hash ${algorithm}, now ${current}); regenerate it with ./hk autoschedule ${kernel} --class ${class}" PARENT_SCOPE)
            else ()
                list(APPEND fresh ${name})
                set_property(GLOBAL APPEND PROPERTY HK_CHECKED_IN_${generator} "${name}|${file}")
                set_property(GLOBAL APPEND PROPERTY HK_CHECKED_IN_GENERATORS ${generator})
            endif ()
        endforeach ()
    endforeach ()
    set(HK_FRESH_SCHEDULES "${fresh}" PARENT_SCOPE)
endfunction()

# Writes `output`, which compiles the fresh checked-in schedules of `generator` into its
# generator executable, by name (declared in generators/kernel_generator.h).
function(hk_write_checked_in_registry generator output)
    get_property(entries GLOBAL PROPERTY HK_CHECKED_IN_${generator})
    set(includes "")
    set(cases "")
    foreach (entry IN LISTS entries)
        string(REPLACE "|" ";" entry "${entry}")
        list(GET entry 0 name)
        list(GET entry 1 file)
        string(APPEND includes "#include \"${file}\"\n")
        string(APPEND cases "    if (name == \"${name}\") return apply_schedule_${name}(pipeline, target), true;\n")
    endforeach ()
    set(source "// Generated by cmake/HkSchedules.cmake: the checked-in autoscheduler schedules of ${generator}
// that match its algorithm and this Halide version, by name. Do not edit.
#include <string>

#include \"Halide.h\"
${includes}
namespace hk::gen {

bool apply_checked_in_schedule(const std::string &name, Halide::Pipeline pipeline,
                               const Halide::Target &target) {
    (void)name, (void)pipeline, (void)target;
${cases}    return false;
}

}  // namespace hk::gen
")
    file(CONFIGURE OUTPUT "${output}" CONTENT "${source}" @ONLY)
endfunction()

# The generator parameters that give kernel `name` of target class `class` its schedule, from
# ${HK_TUNED_DIR}/<class>/tuned.json. Kernels without an entry of their own (the uint8
# variants) take the knobs of the kernel they vary (gabor_u8: gabor's).
function(hk_schedule_params name class out_var)
    set(params "")
    set(json_file "${HK_TUNED_DIR}/${class}/tuned.json")
    if (NOT EXISTS "${json_file}")
        set(${out_var} "" PARENT_SCOPE)
        return()
    endif ()
    hk_configure_depends("${json_file}")
    file(READ "${json_file}" json)
    string(JSON entry ERROR_VARIABLE missing GET "${json}" kernels ${name})
    set(own_entry TRUE)
    if (missing)
        set(own_entry FALSE)
        string(REGEX REPLACE "_u8$" "" base "${name}")
        string(JSON entry ERROR_VARIABLE missing GET "${json}" kernels ${base})
        if (missing)
            set(${out_var} "" PARENT_SCOPE)
            return()
        endif ()
    endif ()
    string(JSON schedule ERROR_VARIABLE no_schedule GET "${entry}" schedule)
    if (own_entry AND NOT no_schedule AND NOT schedule STREQUAL "hand")
        string(TOLOWER "${schedule}" scheduler)
        set(registry_name "${name}_${class}_${scheduler}")
        if (registry_name IN_LIST HK_FRESH_SCHEDULES)
            set(${out_var} "checked_in_schedule=${registry_name}" PARENT_SCOPE)
            return()
        endif ()
        set(why "schedules/${class}/auto/${name}.${scheduler}.schedule.h is missing")
        if (DEFINED HK_STALE_${registry_name})
            set(why "${HK_STALE_${registry_name}}")
        endif ()
        message(WARNING "hkernels: kernel ${name} (${class}) was tuned to its ${schedule} schedule, "
                        "but ${why}. Falling back to the hand schedule.")
    endif ()
    # The hand schedule's knobs, as one generator parameter the schedule reads by name
    # (knobs=rows_per_tile:4,tile_rows_per_task:16; see generators/kernel_generator.h).
    # CPU knobs are measured per CPU variant ("variants": {"avx2": {"knobs": {...}, "tuned": ...}})
    # and passed as avx2.name:value: only that variant's generator instance reads them.
    set(pairs "")
    hk_knob_pairs("${entry}" "" pairs)
    string(JSON variants ERROR_VARIABLE no_variants GET "${entry}" variants)
    set(tuned_variants "")
    if (NOT no_variants)
        string(JSON count LENGTH "${variants}")
        if (count GREATER 0)
            math(EXPR last "${count} - 1")
            foreach (i RANGE ${last})
                string(JSON variant MEMBER "${variants}" ${i})
                if (NOT variant IN_LIST HK_CPU_VARIANT_NAMES)
                    message(FATAL_ERROR "hkernels: ${json_file}: kernel ${name}: unknown CPU variant "
                                        "'${variant}' (known: ${HK_CPU_VARIANT_NAMES})")
                endif ()
                string(JSON variant_entry GET "${variants}" ${variant})
                hk_knob_pairs("${variant_entry}" "${variant}." pairs)
                list(APPEND tuned_variants ${variant})
            endforeach ()
        endif ()
    endif ()
    if (pairs)
        list(JOIN pairs "," pairs)
        list(APPEND params "knobs=${pairs}")
    endif ()
    set(${out_var} "${params}" PARENT_SCOPE)
    set(${out_var}_TUNED_VARIANTS "${tuned_variants}" PARENT_SCOPE)
endfunction()

# The CPU variants tuned.json may name, one per HK_CPU_TARGETS entry (schedules/knobs.h's
# cpu_variant_name() gives the same names).
set(HK_CPU_VARIANT_NAMES avx512_skylake avx2 sse41)

# Appends `prefix`name:value for each member of the "knobs" object of `entry` to `list_var`.
function(hk_knob_pairs entry prefix list_var)
    set(pairs "${${list_var}}")
    string(JSON knobs ERROR_VARIABLE no_knobs GET "${entry}" knobs)
    if (NOT no_knobs)
        string(JSON count LENGTH "${knobs}")
        if (count GREATER 0)
            math(EXPR last "${count} - 1")
            foreach (i RANGE ${last})
                string(JSON knob MEMBER "${knobs}" ${i})
                string(JSON value GET "${knobs}" ${knob})
                list(APPEND pairs "${prefix}${knob}:${value}")
            endforeach ()
        endif ()
    endif ()
    set(${list_var} "${pairs}" PARENT_SCOPE)
endfunction()

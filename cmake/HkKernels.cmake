# hk_add_kernel(): the one place a kernel is named. Everything else that lists kernels (the
# runtime's table of pipelines, the tuner's and the autoscheduler's catalogue) is generated
# from these calls by hk_write_kernel_catalogue().
#
#   hk_add_kernel(<name> [GENERATOR <source>] [PARAMS k=v ...] [BENCH <regex>] [TESTS <filter>]
#                 [CLASSES <class> ...])
#
#   GENERATOR  the algorithm: generators/<source>.cpp, which registers hk_<source>
#              (default: <name>). One generator executable per source, so editing one source
#              regenerates only the libraries made from it.
#   PARAMS     generator parameters that make this kernel (input.type=uint8, magnitude=true)
#   BENCH      the benchmarks that time it (regex on hk_bench names, before the implementation)
#   TESTS      the GoogleTest suites that check it (a --gtest_filter pattern)
#              BENCH and TESTS are what ./hk tune measures and checks a candidate with; a kernel
#              without them is not tuned on its own (the uint8 variants take their float32
#              kernel's schedule choice, see cmake/HkSchedules.cmake).
#   CLASSES    the target classes it is built for (default: all of HK_TARGET_CLASSES); the
#              runtime's table holds nullptr for the others
#
# For every enabled target class it compiles, on the one shared runtime:
#   hk_<name>_cpu     multi-target x86 library (HK_CPU_TARGETS, Halide's run-time dispatcher)
#   hk_<name>_opencl  OpenCL (HK_GPU_HOST_TARGET + opencl)
#   hk_<name>_cuda    CUDA   (HK_GPU_HOST_TARGET + cuda + HK_CUDA_CAPABILITY)
# each with its schedule's generator parameters from schedules/<class>/tuned.json.

# The generator executable of generators/<source>.cpp (made once, on first use).
function(hk_generator_target source out_var)
    set(target hk_gen_${source})
    set(${out_var} ${target} PARENT_SCOPE)
    if (TARGET ${target} OR TARGET ${PROJECT_NAME}-halide_generators::${target})
        return()
    endif ()
    # The checked-in autoscheduler schedules of this generator that still match its algorithm.
    hk_write_checked_in_registry(hk_${source} "${HK_SCHEDULES_SOURCE_DIR}/hk_checked_in_${source}.cpp")
    add_halide_generator(${target}
                         SOURCES ${PROJECT_SOURCE_DIR}/generators/${source}.cpp
                                 ${HK_SCHEDULES_SOURCE_DIR}/hk_checked_in_${source}.cpp)
    if (TARGET ${target})  # cross builds import the host build's generators instead
        target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}
                                                     ${PROJECT_SOURCE_DIR}/generators
                                                     ${PROJECT_SOURCE_DIR}/runtime/include)
    endif ()
endfunction()

function(hk_add_kernel name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "GENERATOR;BENCH;TESTS" "PARAMS;CLASSES")
    if (NOT ARG_GENERATOR)
        set(ARG_GENERATOR ${name})
    endif ()
    set(classes ${HK_TARGET_CLASSES})
    if (ARG_CLASSES)
        string(REPLACE ";" "|" ARG_CLASSES "${ARG_CLASSES}")
        list(FILTER classes INCLUDE REGEX "^(${ARG_CLASSES})$")
    endif ()
    set_property(GLOBAL PROPERTY HK_KERNEL_${name}_CLASSES "${classes}")
    hk_generator_target(${ARG_GENERATOR} generator_target)
    # user_context: each call passes its own context, so errors raised on any Halide thread are
    # reported to the call that caused them.
    list(TRANSFORM HK_CPU_TARGETS APPEND "-user_context" OUTPUT_VARIABLE targets_cpu)
    set(targets_opencl "${HK_GPU_HOST_TARGET}-opencl-user_context")
    set(targets_cuda "${HK_GPU_HOST_TARGET}-cuda-${HK_CUDA_CAPABILITY}-user_context")
    foreach (class IN LISTS classes)
        set(lib hk_${name}_${class})
        hk_schedule_params(${name} ${class} schedule_params)
        if (class STREQUAL cpu)
            foreach (variant IN LISTS schedule_params_TUNED_VARIANTS)
                set_property(GLOBAL APPEND PROPERTY HK_TUNED_ON_${variant} ${name})
            endforeach ()
        endif ()
        # A single-target library writes its .stmt.html; a multi-target one (cpu) does not, and
        # declaring an output it never writes would rerun the generator on every build.
        set(stmt "")
        if (NOT class STREQUAL cpu)
            set(stmt STMT_HTML ${lib}_stmt)
        endif ()
        add_halide_library(${lib} FROM ${generator_target}
                           GENERATOR hk_${ARG_GENERATOR}
                           FUNCTION_NAME ${lib}
                           TARGETS ${targets_${class}}
                           USE_RUNTIME hk_halide_runtime
                           PARAMS ${ARG_PARAMS} ${schedule_params}
                           ${stmt})
        set_property(GLOBAL APPEND PROPERTY HK_KERNEL_LIBRARIES ${lib})
    endforeach ()
    set_property(GLOBAL APPEND PROPERTY HK_KERNELS ${name})
    list(JOIN ARG_PARAMS "," params_csv)
    foreach (field IN ITEMS GENERATOR BENCH TESTS)
        set_property(GLOBAL PROPERTY HK_KERNEL_${name}_${field} "${ARG_${field}}")
    endforeach ()
    set_property(GLOBAL PROPERTY HK_KERNEL_${name}_PARAMS "${params_csv}")
endfunction()

# Writes what the rest of the project reads instead of its own list of kernels:
#   <build>/hk_kernel_table.h   the runtime's table: per kernel, its pipeline on each target
#                               class (nullptr where a class is not compiled in)
#   <build>/hk_kernels.json     for tools/ (tune.py, autoschedule.py): per kernel, its generator
#                               (name and executable), params, benchmarks and tests
function(hk_write_kernel_catalogue)
    get_property(kernels GLOBAL PROPERTY HK_KERNELS)
    set(includes "")
    set(table "")
    set(json "")
    foreach (name IN LISTS kernels)
        set(fns "")
        get_property(built GLOBAL PROPERTY HK_KERNEL_${name}_CLASSES)
        foreach (class IN ITEMS cpu opencl cuda)
            if (class IN_LIST built)
                string(APPEND includes "#include \"hk_${name}_${class}.h\"\n")
                list(APPEND fns hk_${name}_${class})
            else ()
                list(APPEND fns nullptr)
            endif ()
        endforeach ()
        list(JOIN fns ", " fns)
        string(APPEND table "inline const Variants<decltype(&hk_${name}_cpu)> ${name}{${fns}};\n")
        foreach (field IN ITEMS GENERATOR PARAMS BENCH TESTS)
            get_property(${field} GLOBAL PROPERTY HK_KERNEL_${name}_${field})
            string(REPLACE "\\" "\\\\" ${field} "${${field}}")
        endforeach ()
        hk_generator_target(${GENERATOR} generator_target)
        if (json)
            string(APPEND json ",\n")
        endif ()
        string(APPEND json "  \"${name}\": {\"generator\": \"hk_${GENERATOR}\", "
                           "\"executable\": \"$<TARGET_FILE:${generator_target}>\", "
                           "\"params\": \"${PARAMS}\", \"bench\": \"${BENCH}\", \"tests\": \"${TESTS}\", "
                           "\"classes\": \"${built}\"}")
    endforeach ()
    file(CONFIGURE OUTPUT "${CMAKE_BINARY_DIR}/hk_kernel_table.h" CONTENT
"// Generated by cmake/HkKernels.cmake from the hk_add_kernel() calls: the pipelines this build
// compiled, per kernel and target class. Do not edit.
#pragma once
#include \"hk/device.h\"
${includes}
namespace hk::detail {

template <typename Fn>
struct Variants {
    Fn cpu, opencl, cuda;  // nullptr where the class was not compiled in
    Fn get(Device d) const { return d == Device::opencl ? opencl : d == Device::cuda ? cuda : cpu; }
};

namespace kernels {
${table}}  // namespace kernels

}  // namespace hk::detail
" @ONLY)
    file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/hk_kernels.json" CONTENT "{\n${json}\n}\n")
    # Which CPU variants run measured knobs, and which the schedules' analytic defaults (derived
    # from the target's registers and vector width, never another variant's measurements).
    if (cpu IN_LIST HK_TARGET_CLASSES)
        foreach (target IN LISTS HK_CPU_TARGETS)
            foreach (variant IN LISTS HK_CPU_VARIANT_NAMES)
                if (target MATCHES "-${variant}(-|$)")
                    get_property(tuned GLOBAL PROPERTY HK_TUNED_ON_${variant})
                    list(REMOVE_DUPLICATES tuned)
                    list(JOIN tuned ", " tuned)
                    if (tuned)
                        message(STATUS "hkernels: ${variant} knobs tuned on a ${variant} machine for: ${tuned}; "
                                       "the other kernels use their schedules' analytic defaults")
                    else ()
                        message(STATUS "hkernels: ${variant}: no knobs tuned on a ${variant} machine; "
                                       "every kernel uses its schedule's analytic defaults")
                    endif ()
                endif ()
            endforeach ()
        endforeach ()
    endif ()
endfunction()

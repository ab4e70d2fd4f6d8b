# hk_add_kernel(<name> GENERATOR <gen> [PARAMS k=v ...])
# (e.g. hk_add_kernel(gabor_u8 GENERATOR hk_gabor PARAMS input.type=uint8) for 8-bit images)
# Compiles one Halide generator ahead of time for every enabled target class:
#   hk_<name>_cpu     multi-target x86 library (HK_CPU_TARGETS, Halide's run-time dispatcher)
#   hk_<name>_opencl  OpenCL (HK_GPU_HOST_TARGET + opencl)
#   hk_<name>_cuda    CUDA   (HK_GPU_HOST_TARGET + cuda + HK_CUDA_CAPABILITY)
# all on the one shared runtime, and records their objects for the hkernels archive. Each gets
# its schedule's generator parameters from schedules/<class>/tuned.json (cmake/HkSchedules.cmake).
# Adding a kernel = a generator, its schedules, its runtime entry point, its tests.
function(hk_add_kernel name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "GENERATOR" "PARAMS")
    # user_context: each call passes its own context, so errors raised on any Halide thread are
    # reported to the call that caused them.
    list(TRANSFORM HK_CPU_TARGETS APPEND "-user_context" OUTPUT_VARIABLE targets_cpu)
    set(targets_opencl "${HK_GPU_HOST_TARGET}-opencl-user_context")
    set(targets_cuda "${HK_GPU_HOST_TARGET}-cuda-${HK_CUDA_CAPABILITY}-user_context")
    # The catalogue tools/ read (name, generator, params): see hk_write_kernel_catalogue.
    list(JOIN ARG_PARAMS "," params_csv)
    set_property(GLOBAL APPEND PROPERTY HK_KERNEL_CATALOGUE "${name} ${ARG_GENERATOR} ${params_csv}")
    foreach (class IN LISTS HK_TARGET_CLASSES)
        set(lib hk_${name}_${class})
        hk_schedule_params(${name} ${class} schedule_params)
        add_halide_library(${lib} FROM hk_generators
                           GENERATOR ${ARG_GENERATOR}
                           FUNCTION_NAME ${lib}
                           TARGETS ${targets_${class}}
                           USE_RUNTIME hk_halide_runtime
                           PARAMS ${ARG_PARAMS} ${schedule_params}
                           STMT_HTML ${lib}_stmt)
        set_property(GLOBAL APPEND PROPERTY HK_KERNEL_LIBRARIES ${lib})
    endforeach ()
endfunction()

# <build>/hk_kernels.txt: one kernel a line, "name generator params" (params comma-separated,
# as the provenance lines of cmake/HkSchedules.cmake write them). tools/autoschedule.py and
# tools/tune.py read it, so the list of kernels has one definition: the hk_add_kernel calls.
function(hk_write_kernel_catalogue)
    get_property(lines GLOBAL PROPERTY HK_KERNEL_CATALOGUE)
    list(JOIN lines "\n" text)
    file(CONFIGURE OUTPUT "${CMAKE_BINARY_DIR}/hk_kernels.txt" CONTENT "${text}\n" @ONLY)
endfunction()

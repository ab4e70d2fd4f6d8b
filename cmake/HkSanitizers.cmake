# The runtime built again with a sanitizer, for the tests (HK_SANITIZERS): runtime/src compiled
# with the sanitizer's flags and linked with the same generated objects as hkernels, so no
# generator runs twice. Halide's generated code is not instrumented (Halide checks its own buffer
# accesses against the bounds the runtime passes); the runtime's validation, view arithmetic,
# error context and host-side code, and the tests' own code, are.
#
# The flags are PUBLIC: a test linking hkernels_<sanitizer> is instrumented too.
set(HK_SANITIZER_FLAGS_asan_ubsan
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
set(HK_SANITIZER_FLAGS_tsan -fsanitize=thread -g)

function(hk_add_sanitized_runtime sanitizer)
    set(name hkernels_${sanitizer})
    hk_add_runtime_library(${name})
    target_compile_options(${name} PUBLIC ${HK_SANITIZER_FLAGS_${sanitizer}})
    target_link_options(${name} PUBLIC ${HK_SANITIZER_FLAGS_${sanitizer}})
endfunction()

if (HK_SANITIZERS)
    hk_add_sanitized_runtime(asan_ubsan)
    hk_add_sanitized_runtime(tsan)
endif ()

# The fuzz target (tests/fuzz, built with clang by ./hk fuzz and ctest fuzz_api) compiles the
# runtime's sources itself and links these same generated objects: this file tells it where all
# of them are.
set(hk_generated_objects)
foreach (lib IN LISTS HK_GENERATED_LIBRARIES)
    get_target_property(objs ${lib} SOURCES)
    foreach (obj IN LISTS objs)
        cmake_path(ABSOLUTE_PATH obj BASE_DIRECTORY "${PROJECT_BINARY_DIR}")  # the runtime's is relative
        list(APPEND hk_generated_objects "${obj}")
    endforeach ()
endforeach ()
get_target_property(hk_halide_runtime_include Halide::Runtime INTERFACE_INCLUDE_DIRECTORIES)
file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/hk_fuzz_inputs.cmake" CONTENT "\
# Written by cmake/HkSanitizers.cmake: what tests/fuzz needs from this build.
set(HK_RUNTIME_SOURCES \"${HK_RUNTIME_SOURCES}\")
set(HK_GENERATED_OBJECTS \"${hk_generated_objects}\")
set(HK_INCLUDE_DIRS \"${PROJECT_SOURCE_DIR}/runtime/include;${PROJECT_BINARY_DIR};${hk_halide_runtime_include}\")
set(HK_DEFINITIONS \"HK_HAVE_OPENCL=$<BOOL:${HK_ENABLE_OPENCL}>;HK_HAVE_CUDA=$<BOOL:${HK_ENABLE_CUDA}>\")
")

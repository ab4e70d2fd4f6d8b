# cmake/HkSchedules.cmake's stale-schedule detection, on a copy of generators/ (cmake -P):
# a checked-in schedule is compiled in while its provenance matches; once its algorithm or the
# Halide version differs it is left out, and a kernel tuned to it falls back to its hand knobs.
#   cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P schedule_provenance_test.cmake
cmake_minimum_required(VERSION 3.28)

macro(expect)
    if (NOT (${ARGV}))
        message(FATAL_ERROR "expected: ${ARGV}")
    endif ()
endmacro()
function(expect_equal actual expected what)
    if (NOT actual STREQUAL expected)
        message(FATAL_ERROR "${what}: got '${actual}', expected '${expected}'")
    endif ()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/cmake" "${WORK_DIR}/schedules/cpu/auto" "${WORK_DIR}/build")
file(COPY "${SOURCE_DIR}/generators" DESTINATION "${WORK_DIR}")
file(COPY "${SOURCE_DIR}/cmake/HkSchedules.cmake" DESTINATION "${WORK_DIR}/cmake")
set(HK_SCHEDULES_SOURCE_DIR "${WORK_DIR}/build")
include("${WORK_DIR}/cmake/HkSchedules.cmake")  # its HK_SOURCE_ROOT is the copy
set(HK_TUNED_DIR "${WORK_DIR}/schedules")
set(registry "${WORK_DIR}/build/hk_checked_in_box_filter.cpp")

hk_algorithm_hash(hk_box_filter "input.type=float32" hash)
string(LENGTH "${hash}" hash_length)
expect_equal("${hash_length}" 64 "SHA-256 length")
hk_algorithm_hash(hk_box_filter "input.type=uint8" other_params_hash)
expect(NOT hash STREQUAL other_params_hash)  # params are part of the algorithm
expect("${WORK_DIR}/generators/box_filter.h" IN_LIST hash_FILES)  # included headers count
expect(NOT "${WORK_DIR}/generators/correlate.h" IN_LIST hash_FILES)  # others do not

file(WRITE "${WORK_DIR}/schedules/cpu/auto/box_filter.adams2019.schedule.h"
     "// hk-provenance: kernel=box_filter class=cpu generator=hk_box_filter params=input.type=float32 autoscheduler=Adams2019 halide=21.0.0 target=x86-64-linux algorithm=${hash}\n")
file(WRITE "${WORK_DIR}/schedules/cpu/tuned.json"
     [[{"kernels": {"box_filter": {"schedule": "Adams2019", "knobs": {"band": 2}}}}]])

# 1. Fresh: compiled in, and chosen.
set(Halide_VERSION 21.0.0)
hk_collect_checked_in_schedules(cpu)
hk_write_checked_in_registry(hk_box_filter "${registry}")
expect("box_filter_cpu_adams2019" IN_LIST HK_FRESH_SCHEDULES)
file(READ "${registry}" text)
expect(text MATCHES "box_filter.adams2019.schedule.h")
hk_schedule_params(box_filter cpu params)
expect_equal("${params}" "checked_in_schedule=box_filter_cpu_adams2019" "fresh schedule")
hk_schedule_params(box_filter_u8 cpu params)  # the uint8 variant: the knobs only
expect_equal("${params}" "knobs=band:2" "uint8 variant")

# 2. The algorithm changed: left out, the kernel falls back to the hand knobs (and warns).
file(APPEND "${WORK_DIR}/generators/box_filter.h" "// an edit\n")
hk_collect_checked_in_schedules(cpu)
hk_write_checked_in_registry(hk_box_filter "${registry}")
expect(NOT "box_filter_cpu_adams2019" IN_LIST HK_FRESH_SCHEDULES)
expect(HK_STALE_box_filter_cpu_adams2019 MATCHES "another version of the algorithm")
file(READ "${registry}" text)
expect(NOT text MATCHES "box_filter.adams2019.schedule.h")
hk_schedule_params(box_filter cpu params)
expect_equal("${params}" "knobs=band:2" "stale schedule falls back")

# 3. Another Halide version: stale too, with that reason.
file(COPY "${SOURCE_DIR}/generators/box_filter.h" DESTINATION "${WORK_DIR}/generators")
unset(HK_STALE_box_filter_cpu_adams2019)
set(Halide_VERSION 22.0.0)
hk_collect_checked_in_schedules(cpu)
hk_write_checked_in_registry(hk_box_filter "${registry}")
expect(NOT "box_filter_cpu_adams2019" IN_LIST HK_FRESH_SCHEDULES)
expect(HK_STALE_box_filter_cpu_adams2019 MATCHES "made with Halide 21.0.0")

# 4. Knobs per CPU variant: passed with the variant's prefix, after the common ones; the uint8
#    variant inherits them; an untuned variant is not named (it keeps the schedule's defaults).
file(WRITE "${WORK_DIR}/schedules/cpu/tuned.json" [[{"kernels": {"box_filter": {"schedule": "hand",
    "knobs": {"band": 2}, "variants": {"avx2": {"knobs": {"band": 3, "rows": 8}},
                                       "avx512_skylake": {"knobs": {"band": 5}}}}}}]])
hk_schedule_params(box_filter cpu params)
expect_equal("${params}" "knobs=band:2,avx2.band:3,avx2.rows:8,avx512_skylake.band:5" "per-variant knobs")
expect_equal("${params_TUNED_VARIANTS}" "avx2;avx512_skylake" "tuned variants")
hk_schedule_params(box_filter_u8 cpu params)
expect_equal("${params}" "knobs=band:2,avx2.band:3,avx2.rows:8,avx512_skylake.band:5" "uint8 variant, per variant")
message(STATUS "schedule provenance checks passed")

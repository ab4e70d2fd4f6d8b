# Every algorithm and schedule header compiles on its own (includes what it uses):
#   cmake -DCXX=<compiler> -DSOURCE_DIR=<repo> -DHALIDE_INCLUDE=<dir> -DWORK_DIR=<scratch> -P headers_alone_test.cmake
cmake_minimum_required(VERSION 3.28)
file(MAKE_DIRECTORY "${WORK_DIR}")
file(GLOB headers RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/generators/*.h" "${SOURCE_DIR}/schedules/*.h")
set(failed "")
foreach (header IN LISTS headers)
    # The header as the one line of a translation unit.
    file(WRITE "${WORK_DIR}/alone.cpp" "#include \"${header}\"\n")
    execute_process(COMMAND "${CXX}" -std=c++17 -fsyntax-only -I${SOURCE_DIR} -I${SOURCE_DIR}/runtime/include
                            -I${HALIDE_INCLUDE} "${WORK_DIR}/alone.cpp"
                    RESULT_VARIABLE rc ERROR_VARIABLE errors)
    if (rc EQUAL 0)
        message(STATUS "ok: ${header}")
    else ()
        string(SUBSTRING "${errors}" 0 600 errors)
        message(STATUS "FAILS alone: ${header}\n${errors}")
        list(APPEND failed ${header})
    endif ()
endforeach ()
list(LENGTH headers count)
if (failed)
    message(FATAL_ERROR "headers that do not compile on their own: ${failed}")
endif ()
message(STATUS "${count} headers compile on their own")

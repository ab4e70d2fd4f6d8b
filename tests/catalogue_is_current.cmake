# Writes the bad-input catalogue from the test rows and compares it with docs/bad_inputs.md.
# -DEXE=hk_bad_inputs -DDOC=docs/bad_inputs.md -DOUT=<fresh copy>
execute_process(COMMAND ${EXE} --write-catalogue ${OUT} RESULT_VARIABLE rc)
if (NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXE} --write-catalogue failed (${rc})")
endif ()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${DOC} ${OUT} RESULT_VARIABLE differ)
if (differ)
    message(FATAL_ERROR "docs/bad_inputs.md differs from what the rows of tests/bad_inputs_test.cpp "
                        "return now (see ${OUT}); regenerate it: ${EXE} --write-catalogue ${DOC}")
endif ()

# ctest smoke test of a load tool: runs it with a tiny configuration and
# checks that it exits 0 and that its JSON output has the expected fields.
# Correctness only: it never judges the figures.
#   cmake -DTOOL=path -DARGS="--devices|5" -DJSON=out.json -DFIELDS="a|b.c" -P load_tool_smoke.cmake
string(REPLACE "|" ";" args "${ARGS}")
string(REPLACE "|" ";" fields "${FIELDS}")
file(REMOVE "${JSON}")
execute_process(COMMAND "${TOOL}" ${args} --json "${JSON}"
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${TOOL} exited with ${result}:\n${errors}")
endif()
if(NOT EXISTS "${JSON}")
  message(FATAL_ERROR "${TOOL} wrote no JSON to ${JSON}")
endif()
file(READ "${JSON}" json)
foreach(field IN LISTS fields)
  string(REPLACE "." ";" path "${field}")
  string(JSON value ERROR_VARIABLE missing GET "${json}" ${path})
  if(missing)
    message(FATAL_ERROR "JSON field '${field}' missing: ${missing}\n${json}")
  endif()
endforeach()

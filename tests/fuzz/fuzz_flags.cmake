# Flags of a PEDISIM_FUZZ build (see tests/fuzz/README.md): everything it
# compiles is instrumented for libFuzzer's coverage and checked by
# AddressSanitizer and UndefinedBehaviorSanitizer; only the fuzz targets
# link libFuzzer itself (pedisim_fuzz_target in tests/fuzz/CMakeLists.txt).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "PEDISIM_FUZZ needs clang (libFuzzer): configure with "
                      "-DCMAKE_CXX_COMPILER=clang++-14")
endif()
if(PEDISIM_SANITIZE)
  message(FATAL_ERROR "PEDISIM_FUZZ already builds with ASan and UBSan: leave PEDISIM_SANITIZE off")
endif()
add_compile_options(
  -fsanitize=fuzzer-no-link,address,undefined
  -fno-sanitize-recover=all
  -fno-omit-frame-pointer
  # Fast enough to fuzz, still with assertions and line numbers in reports.
  -O1 -gline-tables-only)
add_link_options(-fsanitize=address,undefined)

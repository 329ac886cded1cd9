// The scenario loader on YAML text (and the fragments it includes): every
// input loads or gets errors at file:line:col, without crash, hang or UB.

#include <cstddef>
#include <cstdint>

#include "tests/fuzz/scenario_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pedisim::fuzz::FuzzScenarioLoader("fuzz-scenario.yaml", data, size);
  return 0;
}

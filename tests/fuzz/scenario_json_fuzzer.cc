// The scenario loader on JSON text (read as YAML flow style, as
// pedisimctl and the catalog read *.json scenarios): every input loads or
// gets errors at file:line:col, without crash, hang or UB. Its own target so
// that its corpus and dictionary stay JSON.

#include <cstddef>
#include <cstdint>

#include "tests/fuzz/scenario_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pedisim::fuzz::FuzzScenarioLoader("fuzz-scenario.json", data, size);
  return 0;
}

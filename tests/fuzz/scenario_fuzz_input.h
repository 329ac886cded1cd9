#pragma once

// The scenario fuzzers' input: a scenario file, optionally followed by the
// fragments it includes, each after a line `#--- fragment: NAME` (a YAML
// comment, so a seed stays a readable scenario file).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace pedisim::fuzz {

inline constexpr std::string_view kFragmentMarker = "\n#--- fragment: ";

struct ScenarioFuzzInput {
  std::string_view scenario;
  std::map<std::string, std::string> fragments;
};

ScenarioFuzzInput SplitScenarioFuzzInput(std::string_view bytes);

// Parses `input` as the scenario file `file_name` (its extension says YAML
// or JSON to the reader of a diagnostic) and checks the loader's promises:
// it loads, or says why with errors that name the file, line and column.
void FuzzScenarioLoader(std::string_view file_name, const uint8_t* data, size_t size);

}  // namespace pedisim::fuzz

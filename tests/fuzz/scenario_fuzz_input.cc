#include "tests/fuzz/scenario_fuzz_input.h"

#include <optional>

#include "core/scenario/guideline_library.h"
#include "core/scenario/scenario_loader.h"
#include "tests/fuzz/fuzz_check.h"

namespace pedisim::fuzz {

ScenarioFuzzInput SplitScenarioFuzzInput(std::string_view bytes) {
  ScenarioFuzzInput input;
  size_t marker = bytes.find(kFragmentMarker);
  input.scenario = bytes.substr(0, marker);
  while (marker != std::string_view::npos) {
    const size_t name_start = marker + kFragmentMarker.size();
    const size_t name_end = bytes.find('\n', name_start);
    marker = name_end == std::string_view::npos ? name_end : bytes.find(kFragmentMarker, name_end);
    const std::string_view name = bytes.substr(name_start, name_end - name_start);
    const std::string_view text = name_end == std::string_view::npos
                                      ? std::string_view()
                                      : bytes.substr(name_end + 1, marker - (name_end + 1));
    input.fragments.emplace(name, text);
  }
  return input;
}

namespace {

// The real guideline sets, so that guideline_set and dose rules resolve.
const scenario::GuidelineLibrary& Guidelines() {
  static const scenario::GuidelineLibrary library =
      scenario::GuidelineLibrary::LoadFolder(PEDISIM_SOURCE_DIR "/scenarios/guidelines");
  return library;
}

}  // namespace

void FuzzScenarioLoader(std::string_view file_name, const uint8_t* data, size_t size) {
  const ScenarioFuzzInput input =
      SplitScenarioFuzzInput(std::string_view(reinterpret_cast<const char*>(data), size));
  const scenario::LoadResult result =
      scenario::ParseScenario(file_name, input.scenario, input.fragments, &Guidelines());

  FUZZ_CHECK(result.ok() == result.scenario.has_value());
  bool has_error = false;
  for (const v1::Diagnostic& diagnostic : result.diagnostics) {
    FUZZ_CHECK(!diagnostic.file().empty());
    FUZZ_CHECK(!diagnostic.message().empty());
    if (diagnostic.severity() == v1::Diagnostic::SEVERITY_ERROR) {
      has_error = true;
      // An error the author cannot find is no better than a crash.
      FUZZ_CHECK(diagnostic.line() >= 1 && diagnostic.column() >= 1);
    }
  }
  FUZZ_CHECK(result.ok() != has_error);
  FUZZ_CHECK(result.FormatDiagnostics().size() >= result.diagnostics.size());
  if (result.scenario) {
    // A loaded scenario always has a weight, measured or estimated from age.
    FUZZ_CHECK(result.scenario->patient().weight_kg() > 0);
  }
}

}  // namespace pedisim::fuzz

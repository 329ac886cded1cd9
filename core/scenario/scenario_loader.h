#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/pharmacology/drug_library.h"
#include "core/scenario/diagnostics.h"
#include "core/scenario/guideline_library.h"
#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::scenario {

// A parsed and checked scenario. Inherits `diagnostics` (errors and
// warnings, each with file, line, column and field_path), `source_map` (of
// the scenario file itself, not of its fragments), `ok()` and
// `FormatDiagnostics()` from ParseReport.
struct LoadResult : ParseReport {
  // Set only when there are no errors. A weight left out of the file is
  // filled in from the age (weight_estimated = true).
  std::optional<pedisim::v1::Scenario> scenario;
};

// Parses a scenario file's text, YAML or JSON (see yaml_proto.h), and the
// fragments it includes (scenario_fragments.h), appending their states and
// handlers to its own; then runs the semantic checks of scenario_checks.h.
// Those run only when every file parsed without errors, so that one typo
// does not cascade into several follow-up errors. `file_name` is only used
// in diagnostics. `included_files` maps each `include` entry, as written, to
// the fragment's text; an entry without one is an error at the entry.
// Diagnostics inside a fragment name the fragment's file: its include entry
// taken relative to `file_name`'s folder. With `guidelines`, the scenario's
// guideline_set is looked up there and copied into scenario.guidelines
// (ResolveGuidelines); without, it is left unchecked. With `drugs`, a
// scenario that switches pharmacology on gets its copy of the drug models
// (pharmacology::ResolvePharmacology); without, it runs without them.
LoadResult ParseScenario(std::string_view file_name, std::string_view content,
                         const std::map<std::string, std::string>& included_files = {},
                         const GuidelineLibrary* guidelines = nullptr,
                         const pharmacology::DrugLibrary* drugs = nullptr);

// As ParseScenario, reading the file and its fragments (relative to the
// file's folder) first; an unreadable file is an error diagnostic, not an
// exception, and an unreadable fragment an error at its include entry.
// Diagnostics name the file as `path` is given.
LoadResult LoadScenarioFile(const std::filesystem::path& path,
                            const GuidelineLibrary* guidelines = nullptr,
                            const pharmacology::DrugLibrary* drugs = nullptr);

// A parsed and checked timed action file; see LoadResult.
struct ActionScriptResult : ParseReport {
  // Set only when there are no errors.
  std::optional<pedisim::v1::ActionScript> script;
};

ActionScriptResult ParseActionScript(std::string_view file_name, std::string_view content);
ActionScriptResult LoadActionScriptFile(const std::filesystem::path& path);

}  // namespace pedisim::scenario

#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario/diagnostics.h"
#include "core/scenario/source_files.h"
#include "pedisim/v1/scenario.pb.h"

// Fragments: files of shared states and handlers (pedisim.v1.ScenarioFragment)
// that a scenario lists in `include`, relative to its own file. A fragment
// cannot include further fragments (ScenarioFragment has no `include`), so
// there are no include cycles to detect.
namespace pedisim::scenario {

// The text of the fragment named `include` (as the scenario writes it), or
// nullopt with the reason in `error`.
using FragmentReader =
    std::function<std::optional<std::string>(const std::string& include, std::string& error)>;

struct ParsedFragment {
  // The fragment's name in diagnostics: the include entry taken relative to
  // the scenario file's folder ("cases/fragments/arrest.yaml").
  std::string file;
  pedisim::v1::ScenarioFragment fragment;
  ParseReport report;
};

// Reads and parses every fragment in `scenario.include`. Problems with an
// entry (empty, listed twice, unreadable) are errors at the entry, through
// `sink`; problems inside a fragment stay in its report, in its own file.
std::vector<ParsedFragment> ParseFragments(const pedisim::v1::Scenario& scenario,
                                           std::string_view scenario_file,
                                           const FragmentReader& read_fragment,
                                           DiagnosticSink& sink);

// Appends every fragment's states, handlers and assessment rules to
// `scenario`, in include order, and records in `files` which file each came from. `fragments` must
// outlive `files` and not move.
void MergeFragments(const std::vector<ParsedFragment>& fragments, pedisim::v1::Scenario& scenario,
                    SourceFiles& files);

}  // namespace pedisim::scenario

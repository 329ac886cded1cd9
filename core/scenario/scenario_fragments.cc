#include "core/scenario/scenario_fragments.h"

#include <filesystem>
#include <set>

#include "core/scenario/spelling.h"
#include "core/scenario/yaml_proto.h"

namespace pedisim::scenario {

std::vector<ParsedFragment> ParseFragments(const pedisim::v1::Scenario& scenario,
                                           std::string_view scenario_file,
                                           const FragmentReader& read_fragment,
                                           DiagnosticSink& sink) {
  const std::filesystem::path folder = std::filesystem::path(scenario_file).parent_path();
  std::vector<ParsedFragment> fragments;
  std::set<std::string> seen;
  for (int i = 0; i < scenario.include_size(); ++i) {
    const std::string& include = scenario.include(i);
    const std::string path = "include[" + std::to_string(i) + "]";
    if (include.empty()) {
      sink.ErrorAtValue(path, "include entry is empty; name a fragment file");
      continue;
    }
    // Its states would all be duplicates of the first inclusion's.
    if (!seen.insert(include).second) {
      sink.ErrorAtValue(path, "fragment " + Quoted(include) + " is included twice");
      continue;
    }
    std::string error;
    std::optional<std::string> content = read_fragment(include, error);
    if (!content) {
      sink.ErrorAtValue(path, std::move(error));
      continue;
    }
    ParsedFragment& parsed = fragments.emplace_back();
    parsed.file = (folder / include).lexically_normal().string();
    ParseYamlToMessage(parsed.file, *content, parsed.fragment, parsed.report);
  }
  return fragments;
}

void MergeFragments(const std::vector<ParsedFragment>& fragments, pedisim::v1::Scenario& scenario,
                    SourceFiles& files) {
  for (const ParsedFragment& parsed : fragments) {
    const v1::ScenarioFragment& fragment = parsed.fragment;
    auto append = [&](const char* field, auto* into, const auto& from) {
      files.AddAppended(field, into->size(), from.size(), parsed.file, parsed.report.source_map);
      into->MergeFrom(from);
    };
    append("states", scenario.mutable_states(), fragment.states());
    append("handlers", scenario.mutable_handlers(), fragment.handlers());
    append("critical_actions", scenario.mutable_critical_actions(), fragment.critical_actions());
    append("order_constraints", scenario.mutable_order_constraints(), fragment.order_constraints());
    append("commission_rules", scenario.mutable_commission_rules(), fragment.commission_rules());
    append("instructor_items", scenario.mutable_instructor_items(), fragment.instructor_items());
    append("quantities", scenario.mutable_quantities(), fragment.quantities());
  }
}

}  // namespace pedisim::scenario

#include "core/scenario/scenario_loader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

#include "core/patient/patient_size.h"
#include "core/scenario/data_files.h"
#include "core/scenario/scenario_checks.h"
#include "core/scenario/scenario_fragments.h"
#include "core/scenario/spelling.h"
#include "core/scenario/yaml_proto.h"

namespace pedisim::scenario {
namespace {

using pedisim::v1::ActionScript;
using pedisim::v1::Diagnostic;
using pedisim::v1::Patient;
using pedisim::v1::Scenario;

// Diagnostics in file order read like a compiler's: the scenario file's
// first, then each fragment's in include order. Stable, so that several at
// one position keep the order in which they were found.
void SortByPosition(std::vector<Diagnostic>& diagnostics,
                    const std::vector<std::string>& files_in_order = {}) {
  auto rank = [&](const std::string& file) {
    return std::find(files_in_order.begin(), files_in_order.end(), file) - files_in_order.begin();
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return std::tuple(rank(a.file()), a.line(), a.column()) <
                            std::tuple(rank(b.file()), b.line(), b.column());
                   });
}

template <typename Result>
Result UnreadableFile(const std::filesystem::path& path, std::string error) {
  Result result;
  result.diagnostics.push_back(
      MakeDiagnostic(Diagnostic::SEVERITY_ERROR, path.string(), {}, "", std::move(error)));
  return result;
}

// The loader proper: `read_fragment` supplies the fragments the scenario
// includes, from disk or from a Validate request.
LoadResult ParseScenarioWithFragments(std::string_view file_name, std::string_view content,
                                      const FragmentReader& read_fragment,
                                      const GuidelineLibrary* guidelines,
                                      const pharmacology::DrugLibrary* drugs) {
  LoadResult result;
  Scenario scenario;
  std::vector<std::string> files_in_order = {std::string(file_name)};
  if (ParseYamlToMessage(file_name, content, scenario, result)) {
    SourceFiles files(std::string(file_name), result.source_map);
    DiagnosticSink sink(files, result.diagnostics);
    const std::vector<ParsedFragment> fragments =
        ParseFragments(scenario, file_name, read_fragment, sink);
    bool fragments_ok = !sink.has_errors();
    for (const ParsedFragment& fragment : fragments) {
      files_in_order.push_back(fragment.file);
      fragments_ok = fragments_ok && fragment.report.ok();
      result.diagnostics.insert(result.diagnostics.end(), fragment.report.diagnostics.begin(),
                                fragment.report.diagnostics.end());
    }
    // As with the scenario's own text: checking a scenario whose fragments
    // did not load would only report their states as missing.
    if (fragments_ok) {
      MergeFragments(fragments, scenario, files);
      CheckScenario(scenario, sink);
      if (guidelines && !sink.has_errors()) ResolveGuidelines(scenario, *guidelines, sink);
      if (drugs && !sink.has_errors()) pharmacology::ResolvePharmacology(scenario, *drugs, sink);
    }
  }
  SortByPosition(result.diagnostics, files_in_order);
  if (!result.ok()) return result;
  Patient& patient = *scenario.mutable_patient();
  if (!patient.has_weight_kg()) {
    patient.set_weight_kg(patient::EstimateWeightKg(patient));
    patient.set_weight_estimated(true);
  }
  result.scenario = std::move(scenario);
  return result;
}

}  // namespace

LoadResult ParseScenario(std::string_view file_name, std::string_view content,
                         const std::map<std::string, std::string>& included_files,
                         const GuidelineLibrary* guidelines,
                         const pharmacology::DrugLibrary* drugs) {
  return ParseScenarioWithFragments(
      file_name, content,
      [&](const std::string& include, std::string& error) -> std::optional<std::string> {
        if (const auto it = included_files.find(include); it != included_files.end()) {
          return it->second;
        }
        error = "included file " + Quoted(include) +
                " is missing: it is not among the included files given with the scenario";
        return std::nullopt;
      },
      guidelines, drugs);
}

LoadResult LoadScenarioFile(const std::filesystem::path& path, const GuidelineLibrary* guidelines,
                            const pharmacology::DrugLibrary* drugs) {
  std::string error;
  std::optional<std::string> content = ReadFile(path, error);
  if (!content) return UnreadableFile<LoadResult>(path, std::move(error));
  return ParseScenarioWithFragments(
      path.string(), *content,
      [&](const std::string& include, std::string& fragment_error) -> std::optional<std::string> {
        std::optional<std::string> text = ReadFile(path.parent_path() / include, fragment_error);
        if (!text) fragment_error = "included file " + Quoted(include) + ": " + fragment_error;
        return text;
      },
      guidelines, drugs);
}

ActionScriptResult ParseActionScript(std::string_view file_name, std::string_view content) {
  ActionScriptResult result;
  ActionScript script;
  if (ParseYamlToMessage(file_name, content, script, result)) {
    DiagnosticSink sink(file_name, result.source_map, result.diagnostics);
    CheckActionScript(script, sink);
  }
  SortByPosition(result.diagnostics);
  if (result.ok()) result.script = std::move(script);
  return result;
}

ActionScriptResult LoadActionScriptFile(const std::filesystem::path& path) {
  std::string error;
  std::optional<std::string> content = ReadFile(path, error);
  if (!content) return UnreadableFile<ActionScriptResult>(path, std::move(error));
  return ParseActionScript(path.string(), *content);
}

}  // namespace pedisim::scenario

#include "core/scenario/guideline_library.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/dosing/drug_table.h"
#include "core/scenario/check_parts.h"
#include "core/scenario/data_files.h"
#include "core/scenario/spelling.h"
#include "core/scenario/yaml_proto.h"

namespace pedisim::scenario {
namespace {

using checks::Indexed;
using checks::Number;

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

void CheckPerKgRange(const v1::Range& range, const std::string& path, DiagnosticSink& sink) {
  if (!range.has_min() && !range.has_max()) {
    sink.ErrorAtKey(path, "dose rule needs dose_mg_per_kg with a min, a max or both");
    return;
  }
  if ((range.has_min() && range.min() < 0) || (range.has_max() && range.max() < 0)) {
    sink.ErrorAtValue(path, "dose_mg_per_kg must not be negative");
  }
  if (range.has_min() && range.has_max() && range.min() > range.max()) {
    sink.ErrorAtValue(path + ".max",
                      "min " + Number(range.min()) + " is greater than max " + Number(range.max()));
  }
}

void CheckGuidelineSet(const v1::GuidelineSet& set, std::string_view file_name,
                       DiagnosticSink& sink) {
  const std::string stem = std::filesystem::path(file_name).stem().string();
  if (set.name() != stem) {
    sink.ErrorAtValue("name", "guideline set name " + Quoted(set.name()) +
                                  " must be the file's name without extension, " + Quoted(stem));
  }
  if (set.dose_tolerance() < 0 || set.dose_tolerance() > 0.5) {
    sink.ErrorAtValue("dose_tolerance",
                      "dose_tolerance " + Number(set.dose_tolerance()) + " is outside 0 to 0.5");
  }
  std::map<std::string, std::string> first_path;
  for (int i = 0; i < set.drugs_size(); ++i) {
    const v1::DrugEntry& drug = set.drugs(i);
    const std::string path = Indexed("drugs", i);
    if (drug.drug().empty()) sink.ErrorAtKey(path, "drug entry has no drug name");
    std::vector<std::pair<std::string, std::string>> names = {{drug.drug(), path + ".drug"}};
    for (int a = 0; a < drug.aliases_size(); ++a) {
      names.emplace_back(drug.aliases(a), path + "." + Indexed("aliases", a));
    }
    for (const auto& [name, name_path] : names) {
      if (name.empty()) continue;
      if (auto [first, inserted] = first_path.emplace(Lower(name), name_path); !inserted) {
        sink.ErrorAtValue(name_path, "drug " + Quoted(name) + " is listed twice; first at " +
                                         sink.LineOf(first->second, name_path));
      }
    }
    if (drug.doses().empty()) sink.ErrorAtKey(path, "drug entry has no doses");
    for (int d = 0; d < drug.doses_size(); ++d) {
      CheckPerKgRange(drug.doses(d).dose_mg_per_kg(),
                      path + "." + Indexed("doses", d) + ".dose_mg_per_kg", sink);
    }
  }
  for (int i = 0; i < set.cpr_targets_size(); ++i) {
    if (set.cpr_targets(i).age_band().empty()) {
      sink.ErrorAtKey(Indexed("cpr_targets", i), "CPR targets need an age_band");
    }
  }
}

}  // namespace

GuidelineSetResult ParseGuidelineSet(std::string_view file_name, std::string_view content) {
  GuidelineSetResult result;
  v1::GuidelineSet set;
  if (ParseYamlToMessage(file_name, content, set, result)) {
    DiagnosticSink sink(file_name, result.source_map, result.diagnostics);
    CheckGuidelineSet(set, file_name, sink);
  }
  if (result.ok()) result.set = std::move(set);
  return result;
}

GuidelineLibrary GuidelineLibrary::LoadFolder(const std::filesystem::path& folder) {
  GuidelineLibrary library;
  for (const std::filesystem::path& file : DataFilesIn(folder)) {
    std::string error;
    const std::optional<std::string> content = ReadFile(file, error);
    if (!content) {
      library.diagnostics_.push_back(
          MakeDiagnostic(v1::Diagnostic::SEVERITY_ERROR, file.string(), {}, "", std::move(error)));
      continue;
    }
    GuidelineSetResult result = ParseGuidelineSet(file.string(), *content);
    library.diagnostics_.insert(library.diagnostics_.end(), result.diagnostics.begin(),
                                result.diagnostics.end());
    if (result.set) library.Add(std::move(*result.set));
  }
  return library;
}

void GuidelineLibrary::Add(v1::GuidelineSet set) {
  std::string name = set.name();
  sets_.insert_or_assign(std::move(name), std::move(set));
}

const v1::GuidelineSet* GuidelineLibrary::Find(std::string_view name) const {
  const auto it = sets_.find(name);
  return it == sets_.end() ? nullptr : &it->second;
}

std::vector<std::string> GuidelineLibrary::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, set] : sets_) names.push_back(name);
  return names;
}

void ResolveGuidelines(v1::Scenario& scenario, const GuidelineLibrary& library,
                       DiagnosticSink& sink) {
  if (scenario.guideline_set().empty()) return;
  const v1::GuidelineSet* set = library.Find(scenario.guideline_set());
  if (!set) {
    std::string message =
        "guideline_set " + Quoted(scenario.guideline_set()) + " is not one this controller has";
    const std::vector<std::string> names = library.Names();
    if (std::optional<std::string> suggestion = SuggestClosest(scenario.guideline_set(), names)) {
      message += "; did you mean " + Quoted(*suggestion) + "?";
    } else if (!names.empty()) {
      message += "; it has " + JoinNames(names);
    }
    sink.ErrorAtValue("guideline_set", std::move(message));
    return;
  }
  for (int i = 0; i < scenario.commission_rules_size(); ++i) {
    const v1::CommissionRule& rule = scenario.commission_rules(i);
    if (!rule.has_dose_error() || rule.dose_error().drug().empty()) continue;
    if (!dosing::FindDrug(*set, rule.dose_error().drug())) {
      sink.ErrorAtValue(Indexed("commission_rules", i) + ".dose_error.drug",
                        "drug " + Quoted(rule.dose_error().drug()) + " is not in the " +
                            set->name() + " drug table, so its doses are never checked");
    }
  }
  *scenario.mutable_guidelines() = *set;
}

}  // namespace pedisim::scenario

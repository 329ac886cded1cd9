#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario/diagnostics.h"
#include "pedisim/v1/guidelines.pb.h"
#include "pedisim/v1/scenario.pb.h"

// Guideline sets (pedisim.v1.GuidelineSet): the drug table and CPR targets
// that assessment judges a run by, one file per set, versioned by name.
namespace pedisim::scenario {

// Parses and checks one guideline set file. Errors: a name that differs
// from the file's (without extension), a drug without a name, a drug or
// alias listed twice, a dose rule without a per-kg range or with a negative
// or inverted one, a dose_tolerance outside 0 to 0.5, CPR targets without
// an age band.
struct GuidelineSetResult : ParseReport {
  std::optional<v1::GuidelineSet> set;
};
GuidelineSetResult ParseGuidelineSet(std::string_view file_name, std::string_view content);

// The guideline sets of one folder (a scenario folder's guidelines/).
class GuidelineLibrary {
 public:
  // Loads every *.yaml, *.yml and *.json in `folder`; a missing folder is
  // an empty library. Files that fail to load are left out; their
  // diagnostics are in diagnostics().
  static GuidelineLibrary LoadFolder(const std::filesystem::path& folder);

  void Add(v1::GuidelineSet set);
  const v1::GuidelineSet* Find(std::string_view name) const;
  std::vector<std::string> Names() const;
  const std::vector<v1::Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::map<std::string, v1::GuidelineSet, std::less<>> sets_;
  std::vector<v1::Diagnostic> diagnostics_;
};

// Copies the set that scenario.guideline_set names into scenario.guidelines.
// Errors, through `sink`: a guideline_set the library does not have, a
// commission rule's dose_error naming a drug its table does not list. An
// empty guideline_set leaves the scenario without guidelines (no dose or
// CPR targets to judge by).
void ResolveGuidelines(v1::Scenario& scenario, const GuidelineLibrary& library,
                       DiagnosticSink& sink);

}  // namespace pedisim::scenario

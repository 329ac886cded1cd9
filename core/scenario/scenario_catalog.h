#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/pharmacology/drug_library.h"
#include "core/scenario/guideline_library.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::scenario {

// The scenarios of one folder, loaded together and looked up by id.
//
// Scenario files are every *.yaml, *.yml and *.json directly in the folder
// and every <subfolder>/scenario.yaml (or .yml, .json) one level down, the
// latter for scenarios that keep media or action scripts beside them. Files
// named *.actions.yaml or learner-script.yaml (any of the three extensions)
// are action scripts and are skipped, as are hidden files and the folder
// `fragments/`, which holds the fragments scenarios include.
//
// The guideline sets scenarios name (guideline_set) are the files of the
// folder `guidelines/` (GuidelineLibrary); each loaded scenario carries a
// copy of its set in `guidelines`. The drug models of the pharmacology
// layer are the files of `pharmacology/` (pharmacology::DrugLibrary); a
// scenario with pharmacology on carries a copy of them.
//
// A file that fails to load, or whose id an earlier file (in path order)
// already took, is left out and reported by LoadErrors(). Thread-safe:
// lookups may run while another thread reloads.
class ScenarioCatalog {
 public:
  // Loads the folder right away; a missing folder is a load error.
  explicit ScenarioCatalog(std::filesystem::path folder);

  // Reads the folder again and replaces the whole catalog at once, so a
  // concurrent lookup sees either the old or the new set, never a mix.
  void Reload();

  std::optional<pedisim::v1::Scenario> Find(std::string_view id) const;

  // Sorted by id; source_path is relative to the folder, '/'-separated.
  std::vector<pedisim::v1::ScenarioSummary> List() const;

  // Diagnostics (errors and warnings) of every file that failed to load, in
  // path order; their `file` is relative to the folder like source_path (a
  // fragment's diagnostics name the fragment).
  std::vector<pedisim::v1::Diagnostic> LoadErrors() const;

  // The file a scenario was loaded from (the folder joined with its
  // source_path); empty for an unknown id.
  std::filesystem::path PathOf(std::string_view id) const;

  const std::filesystem::path& folder() const { return folder_; }

  // The guideline sets loaded with the scenarios, for scenario files that
  // come with a request (Validate, DryRun).
  std::shared_ptr<const GuidelineLibrary> Guidelines() const;
  // The drug models of the folder `pharmacology/`, likewise.
  std::shared_ptr<const pharmacology::DrugLibrary> Drugs() const;

 private:
  struct Entry {
    pedisim::v1::Scenario scenario;
    std::string source_path;
  };
  struct Contents {
    std::map<std::string, Entry, std::less<>> by_id;
    std::vector<pedisim::v1::Diagnostic> load_errors;
    std::shared_ptr<const GuidelineLibrary> guidelines;
    std::shared_ptr<const pharmacology::DrugLibrary> drugs;
  };

  Contents LoadContents() const;

  const std::filesystem::path folder_;
  mutable std::shared_mutex mutex_;
  Contents contents_;
};

}  // namespace pedisim::scenario

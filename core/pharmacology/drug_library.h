#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario/diagnostics.h"
#include "pedisim/v1/pharmacology.pb.h"
#include "pedisim/v1/scenario.pb.h"

// The pharmacology layer's drug models (pedisim.v1.DrugModel), one file per
// drug under the scenario folder's pharmacology/, and how a scenario that
// switches the layer on gets its copy of them.
namespace pedisim::pharmacology {

// Parses and checks one drug model file. Errors (file:line:col): a name that
// differs from the file's (without extension) or is not lower case; no
// reference dose; a route without routes, usual dose or with a
// bioavailability outside 0 to 1; a half-life that is not positive; an
// unknown vital (with "did you mean"); a response or toxicity whose level
// is not positive; oxygen without devices or a device above FiO2 1; an
// expectation on a route the drug does not have or without a direction;
// any parameter block (route, kinetics, response, toxicity, device) that
// names no source (a source id, or [model] with the reasoning).
struct DrugModelResult : scenario::ParseReport {
  std::optional<v1::DrugModel> model;
};
DrugModelResult ParseDrugModel(std::string_view file_name, std::string_view content);

// The drug models of one folder.
class DrugLibrary {
 public:
  // Loads every *.yaml, *.yml and *.json in `folder`; a missing folder is
  // an empty library. Files that fail to load, and a drug whose name or
  // alias an earlier file already took, are left out; their diagnostics
  // are in diagnostics().
  static DrugLibrary LoadFolder(const std::filesystem::path& folder);

  // False (and nothing added) when its name or an alias is taken.
  bool Add(v1::DrugModel model);
  // By name or alias, case-insensitive.
  const v1::DrugModel* Find(std::string_view name) const;
  const std::vector<v1::DrugModel>& models() const { return models_; }
  std::vector<std::string> Names() const;
  const std::vector<v1::Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<v1::DrugModel> models_;                   // in file order
  std::map<std::string, size_t, std::less<>> by_name_;  // lower-case names and aliases
  std::vector<v1::Diagnostic> diagnostics_;
};

// Lower case, as drug names are compared.
std::string DrugKey(std::string_view name);

// For a scenario with pharmacology.enabled: copies every model of the
// library but the scripted ones into pharmacology.models. Errors, through
// `sink`: a scripted drug the library does not have (with "did you mean"),
// a shunt_fraction outside 0 to 1.
void ResolvePharmacology(v1::Scenario& scenario, const DrugLibrary& library,
                         scenario::DiagnosticSink& sink);

}  // namespace pedisim::pharmacology

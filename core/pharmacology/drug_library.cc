#include "core/pharmacology/drug_library.h"

#include <algorithm>
#include <cctype>

#include "core/scenario/check_parts.h"
#include "core/scenario/data_files.h"
#include "core/scenario/spelling.h"
#include "core/scenario/yaml_proto.h"
#include "core/vitals/vital_table.h"

namespace pedisim::pharmacology {
namespace {

using scenario::DiagnosticSink;
using scenario::JoinNames;
using scenario::Quoted;
using scenario::SuggestClosest;
using scenario::checks::Indexed;
using scenario::checks::Number;

constexpr std::string_view kNoSource =
    " names no source: give its source id, or [model] with the reasoning";

void CheckSource(const std::string& source, const std::string& path, std::string_view what,
                 DiagnosticSink& sink) {
  if (source.empty()) sink.ErrorAtKey(path, std::string(what) + std::string(kNoSource));
}

void CheckPositive(double value, const std::string& path, std::string_view name,
                   DiagnosticSink& sink) {
  if (!(value > 0)) {
    sink.ErrorAtValue(path, std::string(name) + " must be more than 0, not " + Number(value));
  }
}

void CheckVital(const std::string& vital, const std::string& path, DiagnosticSink& sink) {
  if (vitals::VitalFieldIndex(vital)) return;
  std::vector<std::string> names;
  for (const vitals::VitalField& field : vitals::VitalFields()) names.emplace_back(field.name);
  std::string message = "vital " + Quoted(vital) + " is not a Vitals field";
  if (std::optional<std::string> close = SuggestClosest(vital, names)) {
    message += "; did you mean " + Quoted(*close) + "?";
  } else {
    message += "; the fields are " + JoinNames(names);
  }
  sink.ErrorAtValue(path, std::move(message));
}

bool HasRoute(const v1::DrugModel& model, std::string_view route) {
  for (const v1::DrugRoute& entry : model.routes()) {
    if (entry.has_usual_rate_mcg_per_kg_per_min()) continue;  // expectations are for doses
    for (const std::string& name : entry.routes()) {
      if (DrugKey(name) == DrugKey(route)) return true;
    }
  }
  return false;
}

void CheckRoutes(const v1::DrugModel& model, DiagnosticSink& sink) {
  if (model.given_by() != v1::ACTION_KIND_OXYGEN && model.routes().empty()) {
    sink.ErrorAtKey("routes", "a drug needs at least one route with its usual dose");
  }
  for (int i = 0; i < model.routes_size(); ++i) {
    const v1::DrugRoute& route = model.routes(i);
    const std::string path = Indexed("routes", i);
    if (route.routes().empty())
      sink.ErrorAtKey(path, "route entry lists no routes (\"IV\", \"IM\")");
    if (route.has_usual_rate_mcg_per_kg_per_min()) {
      CheckPositive(route.usual_rate_mcg_per_kg_per_min(), path + ".usual_rate_mcg_per_kg_per_min",
                    "usual_rate_mcg_per_kg_per_min", sink);
    } else {
      CheckPositive(route.usual_dose_per_kg(), path + ".usual_dose_per_kg", "usual_dose_per_kg",
                    sink);
    }
    if (route.has_bioavailability() &&
        (route.bioavailability() <= 0 || route.bioavailability() > 1)) {
      sink.ErrorAtValue(
          path + ".bioavailability",
          "bioavailability " + Number(route.bioavailability()) + " is outside 0 (exclusive) to 1");
    }
    if (route.absorption_half_life_min() < 0) {
      sink.ErrorAtValue(path + ".absorption_half_life_min",
                        "absorption_half_life_min must not be negative");
    }
    CheckSource(route.source(), path, "route", sink);
  }
}

void CheckKinetics(const v1::DrugModel& model, DiagnosticSink& sink) {
  if (!model.has_kinetics()) {
    sink.ErrorAtKey("name", "drug model has no kinetics (half_life_min, reference_weight_kg)");
    return;
  }
  const v1::DrugKinetics& kinetics = model.kinetics();
  CheckPositive(kinetics.half_life_min(), "kinetics.half_life_min", "half_life_min", sink);
  CheckPositive(kinetics.reference_weight_kg(), "kinetics.reference_weight_kg",
                "reference_weight_kg", sink);
  if (kinetics.effect_half_life_min() < 0) {
    sink.ErrorAtValue("kinetics.effect_half_life_min", "effect_half_life_min must not be negative");
  }
  if (kinetics.maturation_tm50_weeks() < 0 ||
      (kinetics.maturation_tm50_weeks() > 0 && !(kinetics.maturation_hill() > 0))) {
    sink.ErrorAtValue("kinetics.maturation_tm50_weeks",
                      "maturation needs a positive maturation_tm50_weeks and maturation_hill");
  }
  CheckSource(kinetics.source(), "kinetics", "kinetics", sink);
}

void CheckResponses(const v1::DrugModel& model, DiagnosticSink& sink) {
  for (int i = 0; i < model.responses_size(); ++i) {
    const v1::DrugResponse& response = model.responses(i);
    const std::string path = Indexed("responses", i);
    CheckVital(response.vital(), path + ".vital", sink);
    CheckPositive(response.half_effect_level(), path + ".half_effect_level", "half_effect_level",
                  sink);
    if (response.has_hill()) CheckPositive(response.hill(), path + ".hill", "hill", sink);
    if (response.above_level() < 0) {
      sink.ErrorAtValue(path + ".above_level", "above_level must not be negative");
    }
    if (!response.has_toward() && response.max_change() == 0) {
      sink.ErrorAtKey(path, "response needs a max_change or a value to move toward");
    }
    CheckSource(response.source(), path, "response", sink);
  }
  for (int i = 0; i < model.toxicities_size(); ++i) {
    const v1::DrugToxicity& toxicity = model.toxicities(i);
    const std::string path = Indexed("toxicities", i);
    CheckPositive(toxicity.above_level(), path + ".above_level", "above_level", sink);
    if (toxicity.description().empty()) {
      sink.ErrorAtKey(path, "toxicity needs a description, as the debrief names it");
    }
    if (toxicity.has_findings()) {
      scenario::checks::CheckFindings(toxicity.findings(), path + ".findings", sink);
    }
    CheckSource(toxicity.source(), path, "toxicity", sink);
  }
}

void CheckOxygen(const v1::DrugModel& model, DiagnosticSink& sink) {
  const bool is_oxygen = model.given_by() == v1::ACTION_KIND_OXYGEN;
  if (!is_oxygen) {
    if (model.has_oxygen()) sink.ErrorAtKey("oxygen", "only a model given_by oxygen has devices");
    return;
  }
  if (model.oxygen().devices().empty()) {
    sink.ErrorAtKey("oxygen", "oxygen needs its devices with the FiO2 each gives");
  }
  for (int i = 0; i < model.oxygen().devices_size(); ++i) {
    const v1::OxygenDeviceModel& device = model.oxygen().devices(i);
    const std::string path = "oxygen." + Indexed("devices", i);
    if (device.max_fio2() <= 0.21 || device.max_fio2() > 1) {
      sink.ErrorAtValue(path + ".max_fio2",
                        "max_fio2 " + Number(device.max_fio2()) + " is outside 0.21 to 1");
    }
    CheckPositive(device.fio2_per_l_per_min(), path + ".fio2_per_l_per_min", "fio2_per_l_per_min",
                  sink);
    CheckSource(device.source(), path, "device", sink);
  }
  const double no_gain = model.oxygen().no_gain_shunt_fraction();
  if (no_gain <= 0 || no_gain > 1) {
    sink.ErrorAtValue("oxygen.no_gain_shunt_fraction", "no_gain_shunt_fraction " + Number(no_gain) +
                                                           " is outside 0 (exclusive) to 1");
  }
}

void CheckExpectations(const v1::DrugModel& model, DiagnosticSink& sink) {
  for (int i = 0; i < model.expected_size(); ++i) {
    const v1::ExpectedResponse& expected = model.expected(i);
    const std::string path = Indexed("expected", i);
    CheckVital(expected.vital(), path + ".vital", sink);
    if (model.given_by() != v1::ACTION_KIND_OXYGEN && !HasRoute(model, expected.route())) {
      sink.ErrorAtValue(path + ".route", "route " + Quoted(expected.route()) +
                                             " is not one of this drug's routes for a single dose");
    }
    if (expected.direction() != 1 && expected.direction() != -1) {
      sink.ErrorAtValue(path + ".direction", "direction must be 1 (rises) or -1 (falls)");
    }
    if (expected.peak_after_min_low() < 0 ||
        expected.peak_after_min_high() < expected.peak_after_min_low()) {
      sink.ErrorAtValue(path + ".peak_after_min_high",
                        "peak_after_min_low..peak_after_min_high is not a range");
    }
    CheckSource(expected.source(), path, "expectation", sink);
  }
}

void CheckDrugModel(const v1::DrugModel& model, std::string_view file_name, DiagnosticSink& sink) {
  const std::string stem = std::filesystem::path(file_name).stem().string();
  if (model.name() != stem) {
    sink.ErrorAtValue("name", "drug model name " + Quoted(model.name()) +
                                  " must be the file's name without extension, " + Quoted(stem));
  } else if (model.name() != DrugKey(model.name())) {
    sink.ErrorAtValue("name", "drug model name " + Quoted(model.name()) + " must be lower case");
  }
  if (model.given_by() != v1::ACTION_KIND_OXYGEN) {
    CheckPositive(model.reference_dose_per_kg(), "reference_dose_per_kg", "reference_dose_per_kg",
                  sink);
  }
  if (model.given_by() != v1::ACTION_KIND_UNSPECIFIED && model.given_by() != v1::ACTION_KIND_DRUG &&
      model.given_by() != v1::ACTION_KIND_FLUID_BOLUS &&
      model.given_by() != v1::ACTION_KIND_OXYGEN) {
    sink.ErrorAtValue("given_by", "given_by must be drug, fluid_bolus or oxygen");
  }
  if (!model.antagonises().empty()) {
    CheckPositive(model.antagonist_level(), "antagonist_level", "antagonist_level", sink);
  }
  if (model.sources().empty()) sink.ErrorAtKey("name", "drug model lists no sources");
  CheckRoutes(model, sink);
  CheckKinetics(model, sink);
  CheckResponses(model, sink);
  CheckOxygen(model, sink);
  CheckExpectations(model, sink);
}

std::vector<std::string> NamesOf(const v1::DrugModel& model) {
  std::vector<std::string> names = {DrugKey(model.name())};
  for (const std::string& alias : model.aliases()) names.push_back(DrugKey(alias));
  return names;
}

// The model a handler's action gives, if the layer models it: a drug by
// name, a fluid bolus (the default fluid unless named), oxygen.
const v1::DrugModel* ModelGivenBy(const v1::ActionTrigger& trigger, const DrugLibrary& library) {
  switch (trigger.kind()) {
    case v1::ACTION_KIND_DRUG:
      return trigger.drug().empty() ? nullptr : library.Find(trigger.drug());
    case v1::ACTION_KIND_FLUID_BOLUS:
    case v1::ACTION_KIND_OXYGEN:
      for (const v1::DrugModel& model : library.models()) {
        if (model.given_by() != trigger.kind()) continue;
        if (trigger.kind() == v1::ACTION_KIND_OXYGEN || model.default_for_action()) return &model;
      }
      return nullptr;
    default:
      return nullptr;
  }
}

// A handler that scripts vital effects for a drug the layer also models:
// both would act, and the child would react twice.
void WarnAboutDoubleEffects(const v1::Scenario& scenario, const DrugLibrary& library,
                            const std::vector<const v1::DrugModel*>& scripted,
                            DiagnosticSink& sink) {
  for (int i = 0; i < scenario.handlers_size(); ++i) {
    const v1::Handler& handler = scenario.handlers(i);
    if (handler.effects().empty()) continue;
    const v1::DrugModel* model = ModelGivenBy(handler.on_action(), library);
    if (!model || std::find(scripted.begin(), scripted.end(), model) != scripted.end()) continue;
    sink.WarningAtKey(Indexed("handlers", i) + ".effects",
                      "handler " + Quoted(handler.name()) + " scripts effects of " +
                          Quoted(model->name()) +
                          ", which the pharmacology layer also models, so both act; drop the "
                          "effects or list it under pharmacology.scripted");
  }
}

}  // namespace

std::string DrugKey(std::string_view name) {
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

DrugModelResult ParseDrugModel(std::string_view file_name, std::string_view content) {
  DrugModelResult result;
  v1::DrugModel model;
  if (scenario::ParseYamlToMessage(file_name, content, model, result)) {
    DiagnosticSink sink(file_name, result.source_map, result.diagnostics);
    CheckDrugModel(model, file_name, sink);
  }
  if (result.ok()) result.model = std::move(model);
  return result;
}

DrugLibrary DrugLibrary::LoadFolder(const std::filesystem::path& folder) {
  DrugLibrary library;
  for (const std::filesystem::path& file : scenario::DataFilesIn(folder)) {
    std::string error;
    const std::optional<std::string> content = scenario::ReadFile(file, error);
    if (!content) {
      library.diagnostics_.push_back(scenario::MakeDiagnostic(
          v1::Diagnostic::SEVERITY_ERROR, file.string(), {}, "", std::move(error)));
      continue;
    }
    DrugModelResult result = ParseDrugModel(file.string(), *content);
    if (result.model && !library.Add(*result.model)) {
      DiagnosticSink sink(file.string(), result.source_map, result.diagnostics);
      sink.ErrorAtValue("name", "drug " + Quoted(result.model->name()) +
                                    " or one of its aliases is already an earlier file's drug");
    }
    library.diagnostics_.insert(library.diagnostics_.end(), result.diagnostics.begin(),
                                result.diagnostics.end());
  }
  return library;
}

bool DrugLibrary::Add(v1::DrugModel model) {
  const std::vector<std::string> names = NamesOf(model);
  for (const std::string& name : names) {
    if (by_name_.contains(name)) return false;
  }
  for (const std::string& name : names) by_name_.emplace(name, models_.size());
  models_.push_back(std::move(model));
  return true;
}

const v1::DrugModel* DrugLibrary::Find(std::string_view name) const {
  const auto it = by_name_.find(DrugKey(name));
  return it == by_name_.end() ? nullptr : &models_[it->second];
}

std::vector<std::string> DrugLibrary::Names() const {
  std::vector<std::string> names;
  for (const v1::DrugModel& model : models_) names.push_back(model.name());
  return names;
}

void ResolvePharmacology(v1::Scenario& scenario, const DrugLibrary& library, DiagnosticSink& sink) {
  v1::PharmacologySettings& settings = *scenario.mutable_pharmacology();
  settings.clear_models();
  if (settings.shunt_fraction() < 0 || settings.shunt_fraction() > 1) {
    sink.ErrorAtValue("pharmacology.shunt_fraction",
                      "shunt_fraction " + Number(settings.shunt_fraction()) + " is outside 0 to 1");
  }
  std::vector<const v1::DrugModel*> scripted;
  for (int i = 0; i < settings.scripted_size(); ++i) {
    const v1::DrugModel* model = library.Find(settings.scripted(i));
    if (model) {
      scripted.push_back(model);
      continue;
    }
    std::string message = "scripted drug " + Quoted(settings.scripted(i)) +
                          " is not one the pharmacology library models";
    std::vector<std::string> names;
    for (const v1::DrugModel& known : library.models()) {
      names.push_back(known.name());
      names.insert(names.end(), known.aliases().begin(), known.aliases().end());
    }
    if (std::optional<std::string> close = SuggestClosest(settings.scripted(i), names)) {
      message += "; did you mean " + Quoted(*close) + "?";
    }
    sink.ErrorAtValue("pharmacology." + Indexed("scripted", i), std::move(message));
  }
  if (!settings.enabled()) return;
  for (const v1::DrugModel& model : library.models()) {
    if (std::find(scripted.begin(), scripted.end(), &model) != scripted.end()) continue;
    *settings.add_models() = model;
  }
  WarnAboutDoubleEffects(scenario, library, scripted, sink);
}

}  // namespace pedisim::pharmacology

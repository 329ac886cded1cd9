#include "controller/engine/drug_response.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "controller/engine/pharmacology.h"
#include "core/text/enum_names.h"
#include "core/vitals/age_bands.h"
#include "core/vitals/vital_table.h"

namespace pedisim::engine {

namespace {

// One second: the layer's steps are exact for constant inputs, so the
// table does not need the engine's tenth of a second.
constexpr double kStepS = 1;

constexpr TestPatient kTestPatients[] = {
    {"newborn", 0.0, 3.5},
    {"infant", 0.5, 7.5},
    {"child", 6.0, 20.0},
    {"adolescent", 14.0, 50.0},
};

std::string Dose(double dose) {
  if (dose >= 100) return fmt::format("{:.0f}", dose);
  return fmt::format("{:.3g}", dose);
}

std::string Minutes(double minutes) {
  if (minutes < 10) return fmt::format("{:.1f}", minutes);
  return fmt::format("{:.0f}", minutes);
}

}  // namespace

std::span<const TestPatient> TestPatients() { return kTestPatients; }

double SimulatedMinutes(const v1::DrugModel& model) {
  double minutes = 120;
  for (const v1::ExpectedResponse& expected : model.expected()) {
    minutes = std::max(minutes, 1.25 * expected.returned_by_min());
  }
  return minutes;
}

std::optional<DoseResponse> SimulateDose(const v1::DrugModel& model, const std::string& route,
                                         double multiple, const TestPatient& patient,
                                         double minutes) {
  v1::PharmacologySettings settings;
  settings.set_enabled(true);
  *settings.add_models() = model;
  Pharmacology layer(settings, patient.weight_kg, patient.age_years);

  DoseResponse result;
  v1::LearnerAction action;
  action.set_drug(model.name());
  action.set_route(route);
  if (model.given_by() == v1::ACTION_KIND_OXYGEN) {
    action.set_kind(v1::ACTION_KIND_OXYGEN);
    action.clear_drug();
    v1::OxygenDevice device = v1::OXYGEN_DEVICE_UNSPECIFIED;
    for (const v1::OxygenDeviceModel& entry : model.oxygen().devices()) {
      if (text::ShortEnumName(entry.device()) == route) device = entry.device();
    }
    if (device == v1::OXYGEN_DEVICE_UNSPECIFIED) return std::nullopt;
    action.set_oxygen_device(device);
    action.set_oxygen_flow_l_per_min(multiple);
    result.dose = multiple;
    result.unit = "L/min";
  } else {
    const v1::DrugRoute* entry = RouteFor(model, route, /*infusion=*/false);
    if (!entry) return std::nullopt;
    double usual = entry->usual_dose_per_kg() * patient.weight_kg;
    if (entry->has_max_dose()) usual = std::min(usual, entry->max_dose());
    result.dose = usual * multiple;
    if (model.given_by() == v1::ACTION_KIND_FLUID_BOLUS) {
      action.set_kind(v1::ACTION_KIND_FLUID_BOLUS);
      action.set_volume_ml(result.dose);
      result.unit = "mL";
    } else {
      action.set_kind(v1::ACTION_KIND_DRUG);
      action.set_dose_mg(result.dose);
      result.unit = "mg";
    }
  }
  if (!layer.Give(action)) return std::nullopt;

  const v1::Vitals normal = vitals::NormalVitals(vitals::AgeBandFor(patient.age_years));
  std::vector<int> fields;
  for (const v1::DrugResponse& response : model.responses()) {
    const std::optional<int> field = vitals::VitalFieldIndex(response.vital());
    if (!field || std::find(fields.begin(), fields.end(), *field) != fields.end()) continue;
    fields.push_back(*field);
    result.vitals.emplace_back().vital = response.vital();
  }
  std::vector<double> base;
  for (int field : fields) {
    const vitals::VitalField& vital = vitals::VitalFields()[field];
    base.push_back((normal.*vital.get)());
  }
  const int steps = static_cast<int>(minutes * 60 / kStepS);
  std::vector<std::vector<double>> changes(fields.size(), std::vector<double>(steps));
  for (int step = 0; step < steps; ++step) {
    for (const Pharmacology::ToxicChange& change : layer.Advance(kStepS)) {
      if (!change.began) continue;
      const std::string& description = model.toxicities(change.toxicity).description();
      const bool seen = std::any_of(result.toxicities.begin(), result.toxicities.end(),
                                    [&](const auto& entry) { return entry.first == description; });
      if (!seen) result.toxicities.emplace_back(description, (step + 1) * kStepS / 60);
    }
    for (size_t f = 0; f < fields.size(); ++f) changes[f][step] = layer.Change(fields[f], base[f]);
  }
  for (size_t f = 0; f < fields.size(); ++f) {
    VitalResponse& response = result.vitals[f];
    int peak = 0;
    for (int step = 0; step < steps; ++step) {
      if (std::abs(changes[f][step]) > std::abs(changes[f][peak])) peak = step;
    }
    response.peak_change = changes[f][peak];
    response.peak_after_min = (peak + 1) * kStepS / 60;
    for (int step = peak; step < steps; ++step) {
      if (std::abs(changes[f][step]) < 0.1 * std::abs(response.peak_change)) {
        response.returned_after_min = (step + 1) * kStepS / 60;
        break;
      }
    }
  }
  return result;
}

std::string ResponseTable(std::span<const v1::DrugModel> models) {
  std::string out;
  for (const v1::DrugModel& model : models) {
    out += fmt::format("### {}\n\n", model.name());
    if (model.responses().empty()) {
      // Nothing the monitor shows moves: the file says why (a dose check
      // only, an antagonist alone).
      std::string summary = model.summary();
      while (!summary.empty() && summary.back() == '\n') summary.pop_back();
      out += "No modelled change in the monitor's vitals. " + summary + "\n\n";
      continue;
    }
    const bool oxygen = model.given_by() == v1::ACTION_KIND_OXYGEN;
    std::vector<std::string> routes;
    if (oxygen) {
      for (const v1::OxygenDeviceModel& device : model.oxygen().devices()) {
        routes.push_back(text::ShortEnumName(device.device()));
      }
    } else {
      for (const v1::DrugRoute& route : model.routes()) {
        if (!route.has_usual_rate_mcg_per_kg_per_min() && !route.routes().empty()) {
          routes.push_back(route.routes(0));
        }
      }
    }
    const std::vector<double> multiples =
        oxygen ? std::vector<double>{1, 5, 15} : std::vector<double>{0.1, 1, 10};
    out += oxygen ? "| device | band (kg) | flow | vital | peak change | peak at (min) | back by "
                    "(min) | toxic (from min) |\n"
                  : "| route | band (kg) | dose | vital | peak change | peak at (min) | back by "
                    "(min) | toxic (from min) |\n";
    out += "|---|---|---|---|---|---|---|---|\n";
    const double minutes = SimulatedMinutes(model);
    for (const std::string& route : routes) {
      for (const TestPatient& patient : TestPatients()) {
        for (double multiple : multiples) {
          const std::optional<DoseResponse> response =
              SimulateDose(model, route, multiple, patient, minutes);
          if (!response) continue;
          std::string toxic = "–";
          if (!response->toxicities.empty()) {
            toxic.clear();
            for (const auto& [description, at] : response->toxicities) {
              if (!toxic.empty()) toxic += "; ";
              toxic += fmt::format("{} ({})", description, Minutes(at));
            }
          }
          const std::string dose =
              oxygen ? fmt::format("{:g} L/min", multiple)
                     : fmt::format("{:g}× = {} {}", multiple, Dose(response->dose), response->unit);
          for (const VitalResponse& vital : response->vitals) {
            const std::string back = vital.returned_after_min ? Minutes(*vital.returned_after_min)
                                                              : fmt::format("> {:.0f}", minutes);
            out += fmt::format("| {} | {} ({:g}) | {} | {} | {:+.1f} | {} | {} | {} |\n", route,
                               patient.band, patient.weight_kg, dose, vital.vital,
                               vital.peak_change, Minutes(vital.peak_after_min), back, toxic);
          }
        }
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace pedisim::engine

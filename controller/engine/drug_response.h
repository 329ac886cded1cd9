#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pedisim/v1/pharmacology.pb.h"

// One dose of one drug model in a test patient, alone, as the validation
// tests and the table in docs/pharmacology.md see it: how each vital it
// moves changes, when the change peaks and when it is gone.
namespace pedisim::engine {

// A patient per age band the validation covers.
struct TestPatient {
  const char* band;
  double age_years;
  double weight_kg;
};
// Newborn, infant, child, adolescent; weights are the 50th centile at
// those ages (clinical.md S12-S13 give the formulas the scenarios use).
std::span<const TestPatient> TestPatients();

struct VitalResponse {
  std::string vital;
  // Signed: the largest change from the value without the drug.
  double peak_change = 0;
  double peak_after_min = 0;
  // When the change is back under a tenth of its peak; unset if not
  // within the simulated time.
  std::optional<double> returned_after_min;
};

struct DoseResponse {
  // The dose given (mg; mL for fluids; L/min for oxygen) and its unit.
  double dose = 0;
  std::string unit;
  std::vector<VitalResponse> vitals;  // in the order of the model's responses
  // Toxic effects that showed, with when they began.
  std::vector<std::pair<std::string, double>> toxicities;
};

// `multiple` times the route's usual dose (for oxygen: the route is the
// device's short name and `multiple` the flow in L/min), simulated for
// `minutes` from the age band's normal vitals.
std::optional<DoseResponse> SimulateDose(const v1::DrugModel& model, const std::string& route,
                                         double multiple, const TestPatient& patient,
                                         double minutes);

// How long to simulate a drug: long enough for every expectation's
// returned_by_min, at least two hours.
double SimulatedMinutes(const v1::DrugModel& model);

// The markdown table of every model's responses, for docs/pharmacology.md:
// per drug, route, age band and dose (a tenth, usual, ten times).
std::string ResponseTable(std::span<const v1::DrugModel> models);

}  // namespace pedisim::engine

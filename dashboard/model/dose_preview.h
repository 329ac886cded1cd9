// The drug dose an instructor types, in mg or mg/kg, turned into both units
// for the patient's weight and judged while it is typed by the same check
// the controller records (core/dosing): a preview only, the controller's
// DoseCheck and DOSE_FLAGGED events are the record.
#pragma once

#include <string>

#include "core/patient/patient_size.h"
#include "pedisim/v1/assessment.pb.h"
#include "pedisim/v1/guidelines.pb.h"

namespace pedisim::dashboard {

enum class DoseUnit { kMg, kMgPerKg };

struct DosePreview {
  // False while nothing is typed or there is no weight to convert with.
  bool has_dose = false;
  double dose_mg = 0;
  double dose_mg_per_kg = 0;
  // The controller's verdict for this dose, with its expected range in mg.
  v1::DoseCheck check;
  // One line for the instructor ("in range: 0.074 mg = 0.01 mg/kg at 7.4 kg;
  // expected 0.074 mg").
  std::string summary;
};

// Converts `amount` in `unit` for a patient of `weight_kg`.
double DoseInMg(double amount, DoseUnit unit, double weight_kg);

DosePreview PreviewDose(const v1::GuidelineSet& guidelines, const std::string& drug,
                        const std::string& route, double amount, DoseUnit unit,
                        const patient::PatientSize& patient);

}  // namespace pedisim::dashboard

// The drug dose an instructor types, in mg or mg/kg, turned into both units
// for the patient's weight and checked against the scenario's guideline
// drug table while it is typed. A preview only: the controller's own dose
// check (DoseCheck, DOSE_FLAGGED events) is the record.
#ifndef PEDISIM_DASHBOARD_MODEL_DOSE_PREVIEW_H_
#define PEDISIM_DASHBOARD_MODEL_DOSE_PREVIEW_H_

#include <optional>
#include <string>

#include "pedisim/v1/guidelines.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::dashboard {

enum class DoseUnit { kMg, kMgPerKg };

enum class DoseVerdict {
  kNoDose,       // nothing typed yet, or no weight to convert with
  kUnknownDrug,  // not in the table: given as typed, not checked
  kNoRule,       // in the table, but not for this route or age
  kInRange,
  kUnder,
  kOver,
  kTenfoldUnder,
  kTenfoldOver,
};

struct DosePreview {
  DoseVerdict verdict = DoseVerdict::kNoDose;
  double dose_mg = 0;
  double dose_mg_per_kg = 0;
  // The expected range for this patient in mg, when the table has one.
  std::optional<double> expected_low_mg;
  std::optional<double> expected_high_mg;
  // One line for the instructor ("0.74 mg = 0.1 mg/kg; expected 0.07-0.11 mg").
  std::string summary;
};

// Converts `amount` in `unit` for a patient of `weight_kg`.
double DoseInMg(double amount, DoseUnit unit, double weight_kg);

DosePreview PreviewDose(const v1::GuidelineSet& guidelines, const std::string& drug,
                        const std::string& route, double amount, DoseUnit unit, double weight_kg,
                        double age_years);

// The patient's age in years, from whichever of days, months or years is set.
double AgeInYears(const v1::Patient& patient);

bool IsDoseError(DoseVerdict verdict);

}  // namespace pedisim::dashboard

#endif  // PEDISIM_DASHBOARD_MODEL_DOSE_PREVIEW_H_

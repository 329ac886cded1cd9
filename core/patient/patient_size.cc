#include "core/patient/patient_size.h"

#include <algorithm>
#include <cmath>

namespace pedisim::patient {
namespace {

constexpr double kDaysPerYear = 365.25;
constexpr double kDaysPerMonth = kDaysPerYear / 12;
// The 6-12 year formula is used up to 14 years by some tools; beyond that
// it overshoots, so older patients are estimated as 14-year-olds.
constexpr double kOldestAgeForFormulaYears = 14;

}  // namespace

double AgeInYears(const v1::Patient& patient) {
  switch (patient.age_case()) {
    case v1::Patient::kAgeDays:
      return patient.age_days() / kDaysPerYear;
    case v1::Patient::kAgeMonths:
      return patient.age_months() / 12.0;
    case v1::Patient::kAgeYears:
      return patient.age_years();
    case v1::Patient::AGE_NOT_SET:
      break;
  }
  return 0;
}

// Updated APLS age-based weight formulas (docs/vitals.md, "Weight from age",
// from clinical reference section 2a [S12]); a measured weight always
// supersedes them.
double EstimateWeightKg(const v1::Patient& patient) {
  const double age_years = AgeInYears(patient);
  if (age_years < 1) {
    const double age_months = patient.age_case() == v1::Patient::kAgeMonths
                                  ? patient.age_months()
                                  : age_years * kDaysPerYear / kDaysPerMonth;
    return 0.5 * age_months + 4;
  }
  const double whole_years = std::min(std::floor(age_years), kOldestAgeForFormulaYears);
  if (whole_years <= 5) return 2 * whole_years + 8;
  return 3 * whole_years + 7;
}

PatientSize SizeOf(const v1::Patient& patient) {
  return {.weight_kg = patient.weight_kg(), .age_years = AgeInYears(patient)};
}

}  // namespace pedisim::patient

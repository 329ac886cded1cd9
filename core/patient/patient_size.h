#pragma once

#include "pedisim/v1/scenario.pb.h"

// How big and how old a child is: what every weight- and age-based number
// (doses, energies, normal ranges, alarm limits) is computed from.
namespace pedisim::patient {

struct PatientSize {
  double weight_kg = 0;
  double age_years = 0;
};

// The patient's age in (fractional) years from whichever age field is set;
// 0 when none is.
double AgeInYears(const v1::Patient& patient);

// Weight from age by the updated APLS formulas: under 1 year
// 0.5 x months + 4; 1 to 5 years 2 x years + 8; 6 years and older
// 3 x years + 7, with age capped at 14 years. Years count whole years, as
// the formulas are tabulated. A patient without an age counts as a newborn.
double EstimateWeightKg(const v1::Patient& patient);

// The weight and age doses are judged by (weight 0 when the patient has none).
PatientSize SizeOf(const v1::Patient& patient);

}  // namespace pedisim::patient

// The modelled drugs acting now (VitalsSample.drug_levels), as the
// instructor's live view lists them: "epinephrine  level 0.82  HR +84
// SBP +61": which drug, how much of it is at the effect site (in usual
// doses) and what it adds to each vital, for as long as it lasts.
#pragma once

#include <string>
#include <vector>

#include "pedisim/v1/vitals.pb.h"

namespace pedisim::dashboard {

struct DrugLevelLine {
  std::string drug;
  double level = 0;
  // "HR +84  SBP +61", the vitals' short labels; changes under 0.5 left out.
  std::string changes;
  uint64_t cause_event_id = 0;
};

// Strongest first, so the drug that matters most leads.
std::vector<DrugLevelLine> DrugLevelLines(const v1::VitalsSample& sample);

}  // namespace pedisim::dashboard

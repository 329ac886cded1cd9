// Quick actions: one button (and one key) per learner action the
// instructor sees, logged with LogAction; drugs with the dose typed in mg or
// mg/kg and checked live against the patient's weight.
#pragma once

#include <string>

#include "model/dose_preview.h"
#include "views/view_context.h"

namespace pedisim::dashboard {

// What the instructor is typing, kept between frames.
struct ActionsForm {
  int performer = 0;  // index into the session's participants; 0 = nobody named
  char drug[64] = "epinephrine";
  char route[8] = "IV";
  double amount = 0.01;
  DoseUnit unit = DoseUnit::kMgPerKg;
  double fluid_ml_per_kg = 20;
  double energy_j_per_kg = 2;
};

void DrawActions(const ViewContext& context, ActionsForm& form);

}  // namespace pedisim::dashboard

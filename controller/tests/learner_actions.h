#pragma once

// Learner actions as the engine and assessor tests write them: the kind and
// only the fields the test is about.

#include <string>

#include "pedisim/v1/actions.pb.h"

namespace pedisim::testing {

inline v1::LearnerAction ActionOf(v1::ActionKind kind) {
  v1::LearnerAction action;
  action.set_kind(kind);
  return action;
}

inline v1::LearnerAction Drug(const std::string& drug, double dose_mg,
                              const std::string& route = "IV") {
  v1::LearnerAction action = ActionOf(v1::ACTION_KIND_DRUG);
  action.set_drug(drug);
  action.set_dose_mg(dose_mg);
  action.set_route(route);
  return action;
}

inline v1::LearnerAction Fluid(double volume_ml) {
  v1::LearnerAction action = ActionOf(v1::ACTION_KIND_FLUID_BOLUS);
  action.set_volume_ml(volume_ml);
  return action;
}

// A free-text `other` action.
inline v1::LearnerAction Note(const std::string& note) {
  v1::LearnerAction action = ActionOf(v1::ACTION_KIND_OTHER);
  action.set_note(note);
  return action;
}

}  // namespace pedisim::testing

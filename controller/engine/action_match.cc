#include "controller/engine/action_match.h"

#include <cctype>

#include "core/scenario/diagnostic_results.h"
#include "core/text/words.h"

namespace pedisim::engine {

bool WithinRange(const v1::Range& range, bool has_value, double value) {
  if (!range.has_min() && !range.has_max()) return true;
  if (!has_value) return false;
  // A hair of tolerance, so 0.01 mg/kg computed from a rounded dose still counts.
  constexpr double kTolerance = 1e-6;
  if (range.has_min() && value < range.min() * (1 - kTolerance)) return false;
  if (range.has_max() && value > range.max() * (1 + kTolerance)) return false;
  return true;
}

bool SameKind(const v1::ActionTrigger& trigger, const v1::LearnerAction& action) {
  if (trigger.kind() == action.kind()) return true;
  // Ordering the glucose test is done by a bedside glucose check too, so a
  // rule waiting for "glucose" ordered is met by either (one waiting for
  // ACTION_KIND_GLUCOSE_CHECK stays as it was); "any test ordered" is not
  // met by a bedside check.
  return trigger.kind() == v1::ACTION_KIND_DIAGNOSTIC_ORDERED &&
         action.kind() == v1::ACTION_KIND_GLUCOSE_CHECK &&
         text::SameWord(trigger.diagnostic(), scenario::kGlucoseTest);
}

bool SameSubject(const v1::ActionTrigger& trigger, const v1::LearnerAction& action) {
  if (!trigger.diagnostic().empty() &&
      !text::SameWord(trigger.diagnostic(), scenario::OrderedTest(action))) {
    return false;
  }
  if (trigger.sensor() != v1::MONITOR_SENSOR_UNSPECIFIED && trigger.sensor() != action.sensor()) {
    return false;
  }
  return trigger.confirmation() == v1::TUBE_CONFIRMATION_UNSPECIFIED ||
         trigger.confirmation() == action.confirmation();
}

bool MatchesAction(const v1::ActionTrigger& trigger, const v1::LearnerAction& action,
                   double weight_kg) {
  // A free-text note says nothing checkable about what was done ("called
  // the PICU" is no blood culture): an action matches on what it is.
  if (action.kind() == v1::ACTION_KIND_OTHER) return false;
  if (!SameKind(trigger, action)) return false;
  if (!SameSubject(trigger, action)) return false;
  if (!trigger.drug().empty() && !text::SameWord(trigger.drug(), action.drug())) return false;
  if (!trigger.routes().empty()) {
    bool route_listed = false;
    for (const std::string& route : trigger.routes()) {
      route_listed = route_listed || text::SameWord(route, action.route());
    }
    if (!route_listed) return false;
  }
  const double kg = weight_kg > 0 ? weight_kg : 1;
  return WithinRange(trigger.dose_mg_per_kg(), action.has_dose_mg(), action.dose_mg() / kg) &&
         WithinRange(trigger.dose_mg(), action.has_dose_mg(), action.dose_mg()) &&
         WithinRange(trigger.energy_j_per_kg(), action.has_energy_j(), action.energy_j() / kg) &&
         WithinRange(trigger.volume_ml_per_kg(), action.has_volume_ml(), action.volume_ml() / kg);
}

}  // namespace pedisim::engine

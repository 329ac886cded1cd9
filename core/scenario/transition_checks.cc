// Checks of transitions and of the action conditions that transitions,
// handlers and critical actions share.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "core/scenario/check_parts.h"
#include "core/scenario/proto_scalar.h"
#include "core/scenario/spelling.h"
#include "core/text/enum_names.h"
#include "core/vitals/vital_table.h"

namespace pedisim::scenario::checks {
namespace {

using v1::ActionKind;
using v1::ActionTrigger;
using v1::Transition;

// A per-kg condition and the action kinds whose LearnerAction carries the
// quantity it judges; on other kinds the quantity is never there.
struct QuantityCondition {
  const char* field;
  const v1::Range& (ActionTrigger::*get)() const;
  bool (ActionTrigger::*has)() const;
  std::vector<ActionKind> kinds;
  const char* kinds_in_words;
};

const std::array<QuantityCondition, 4>& QuantityConditions() {
  static const std::array<QuantityCondition, 4> conditions = {{
      {"dose_mg_per_kg",
       &ActionTrigger::dose_mg_per_kg,
       &ActionTrigger::has_dose_mg_per_kg,
       {v1::ACTION_KIND_DRUG},
       "kind drug"},
      {"dose_mg",
       &ActionTrigger::dose_mg,
       &ActionTrigger::has_dose_mg,
       {v1::ACTION_KIND_DRUG},
       "kind drug"},
      {"energy_j_per_kg",
       &ActionTrigger::energy_j_per_kg,
       &ActionTrigger::has_energy_j_per_kg,
       {v1::ACTION_KIND_DEFIBRILLATION, v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION},
       "kinds defibrillation and synchronized_cardioversion"},
      {"volume_ml_per_kg",
       &ActionTrigger::volume_ml_per_kg,
       &ActionTrigger::has_volume_ml_per_kg,
       {v1::ACTION_KIND_FLUID_BOLUS, v1::ACTION_KIND_VENTILATION},
       "kinds fluid_bolus and ventilation"},
  }};
  return conditions;
}

// "bag_mask_ventilation", as authors write kinds.
std::string KindName(ActionKind kind) { return text::ShortEnumName(kind); }

bool IsOneOf(ActionKind kind, const std::vector<ActionKind>& kinds) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

void CheckRange(const v1::Range& range, const std::string& path, const std::string& name,
                DiagnosticSink& sink) {
  if (range.has_min()) CheckNotNegative(range.min(), path + ".min", name + ".min", sink);
  if (range.has_max()) CheckNotNegative(range.max(), path + ".max", name + ".max", sink);
  if (range.has_min() && range.has_max() && range.min() > range.max()) {
    sink.ErrorAtValue(path + ".max", name + ": min " + Number(range.min()) +
                                         " is greater than max " + Number(range.max()) +
                                         ", so no action matches");
  }
}

}  // namespace

void CheckVitalTrigger(const v1::VitalTrigger& trigger, const std::string& path,
                       DiagnosticSink& sink) {
  // "on_vital" or "vital_crossing": the field as the author wrote it.
  const std::string name = path.substr(path.rfind('.') + 1);
  if (!vitals::VitalFieldIndex(trigger.vital())) {
    std::vector<std::string> names;
    for (const vitals::VitalField& field : vitals::VitalFields()) names.emplace_back(field.name);
    std::string message = Quoted(trigger.vital()) + " is not a vital";
    if (std::optional<std::string> suggestion = SuggestClosest(trigger.vital(), names)) {
      message += "; did you mean " + Quoted(*suggestion) + "?";
    } else {
      message += "; use one of " + vitals::VitalFieldNames();
    }
    sink.ErrorAtValue(path + ".vital", std::move(message));
  }
  if (!trigger.has_below() && !trigger.has_above()) {
    sink.ErrorAtKey(path, name + " needs a threshold: set below or above");
  }
  CheckNotNegative(trigger.held_for_s(), path + ".held_for_s", "held_for_s", sink);
}

void CheckActionTrigger(const ActionTrigger& trigger, const std::string& path,
                        std::string_view never_fires, DiagnosticSink& sink) {
  // "on_action" or "action": the field as the author wrote it.
  const std::string name = path.substr(path.rfind('.') + 1);
  const ActionKind kind = trigger.kind();
  if (kind == v1::ACTION_KIND_UNSPECIFIED) {
    sink.ErrorAtKey(path + ".kind", name + " has no kind");
  }
  // An `other` action is a free-text note: what it says is not what was
  // done ("called the PICU" is no blood culture), so it matches no
  // condition, and a condition waiting for one would wait for anything.
  if (kind == v1::ACTION_KIND_OTHER) {
    sink.ErrorAtValue(path + ".kind",
                      name +
                          " cannot wait for kind other: an other action is a free-text note "
                          "and matches no condition; name the action's own kind, or judge it "
                          "with an instructor_choice transition or an instructor item");
  }
  const bool kind_known = kind != v1::ACTION_KIND_UNSPECIFIED;
  if (kind_known && kind != v1::ACTION_KIND_DRUG) {
    if (!trigger.drug().empty()) {
      sink.WarningAtValue(path + ".drug",
                          "drug is meant for kind drug; other actions rarely name a drug, so " +
                              std::string(never_fires));
    }
    if (!trigger.routes().empty()) {
      sink.WarningAtKey(path + ".routes",
                        "routes are meant for kind drug; other actions have no route, so " +
                            std::string(never_fires));
    }
  }
  // Conditions only one kind of action can meet.
  if (kind_known && trigger.sensor() != v1::MONITOR_SENSOR_UNSPECIFIED &&
      kind != v1::ACTION_KIND_SENSOR_ATTACHED && kind != v1::ACTION_KIND_SENSOR_REMOVED) {
    sink.WarningAtValue(path + ".sensor",
                        "sensor is meant for kinds sensor_attached and sensor_removed; an action "
                        "of kind " +
                            KindName(kind) + " names no sensor, so " + std::string(never_fires));
  }
  if (kind_known && !trigger.diagnostic().empty() && kind != v1::ACTION_KIND_DIAGNOSTIC_ORDERED) {
    sink.WarningAtValue(path + ".diagnostic",
                        "diagnostic is meant for kind diagnostic_ordered; an action of kind " +
                            KindName(kind) + " orders no test, so " + std::string(never_fires));
  }
  if (!trigger.diagnostic().empty() &&
      trigger.diagnostic().find_first_not_of(" \t") == std::string::npos) {
    sink.ErrorAtValue(path + ".diagnostic",
                      "diagnostic is blank; name the test (blood_gas, ...) or leave it out for "
                      "any test");
  }
  if (kind_known && trigger.confirmation() != v1::TUBE_CONFIRMATION_UNSPECIFIED &&
      kind != v1::ACTION_KIND_INTUBATION_CONFIRMED) {
    sink.WarningAtValue(path + ".confirmation",
                        "confirmation is meant for kind intubation_confirmed; an action of kind " +
                            KindName(kind) + " confirms no tube, so " + std::string(never_fires));
  }
  for (int i = 0; i < trigger.routes_size(); ++i) {
    if (trigger.routes(i).find_first_not_of(" \t") == std::string::npos) {
      sink.ErrorAtValue(path + ".routes" + "[" + std::to_string(i) + "]",
                        "route is empty; write one such as IV, IO or IM");
    }
  }
  for (const QuantityCondition& condition : QuantityConditions()) {
    if (!(trigger.*condition.has)()) continue;
    const std::string condition_path = path + "." + condition.field;
    CheckRange((trigger.*condition.get)(), condition_path, condition.field, sink);
    if (kind_known && !IsOneOf(kind, condition.kinds)) {
      sink.WarningAtKey(condition_path, std::string(condition.field) + " is meant for " +
                                            condition.kinds_in_words + "; an action of kind " +
                                            KindName(kind) + " has no such quantity, so " +
                                            std::string(never_fires));
    }
  }
  CheckNotNegative(trigger.within_s(), path + ".within_s", "within_s", sink);
}

void CheckTransition(const Transition& transition, const std::string& path,
                     const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  if (transition.to_state().empty()) {
    sink.ErrorAtKey(path + ".to_state", "transition has no to_state");
  } else if (!Contains(state_names, transition.to_state())) {
    sink.ErrorAtValue(path + ".to_state",
                      NotAStateMessage("to_state", transition.to_state(), state_names));
  }
  switch (transition.trigger_case()) {
    case Transition::TRIGGER_NOT_SET:
      sink.ErrorAtKey(path,
                      "transition has no trigger; set one of after_time_in_state_s, "
                      "at_scenario_time_s, on_action, on_vital, when or instructor_choice");
      break;
    case Transition::kAfterTimeInStateS:
      CheckNotNegative(transition.after_time_in_state_s(), path + ".after_time_in_state_s",
                       "after_time_in_state_s", sink);
      break;
    case Transition::kAtScenarioTimeS:
      CheckNotNegative(transition.at_scenario_time_s(), path + ".at_scenario_time_s",
                       "at_scenario_time_s", sink);
      break;
    case Transition::kOnAction:
      CheckActionTrigger(transition.on_action(), path + ".on_action",
                         "this transition may never fire", sink);
      break;
    case Transition::kOnVital:
      CheckVitalTrigger(transition.on_vital(), path + ".on_vital", sink);
      break;
    case Transition::kWhen:
      break;  // condition_checks.cc, which knows the scenario's quantities
    case Transition::kInstructorChoice:
      if (!transition.instructor_choice()) {
        sink.WarningAtValue(path + ".instructor_choice",
                            "instructor_choice: false can never fire; write true");
      }
      break;
  }
  CheckNotNegative(transition.delay_s(), path + ".delay_s", "delay_s", sink);
}

}  // namespace pedisim::scenario::checks

#ifndef PEDISIM_CONTROLLER_SCENARIO_SCENARIO_CHECKS_H_
#define PEDISIM_CONTROLLER_SCENARIO_SCENARIO_CHECKS_H_

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/scenario.pb.h"
#include "controller/scenario/diagnostics.h"

// Checks of what the file format alone cannot express: references between
// states, required fields, physiologic bounds. They run on a message that
// parsed cleanly and report through `sink`, whose source map places each
// diagnostic at the offending field.
namespace pedisim::scenario {

// Errors: missing or malformed id, missing title, patient without an age,
// implausible weight, no states, unnamed or duplicate states, initial_state
// or to_state naming no state, transitions without a trigger, negative
// times, vitals outside physiologic bounds or diastolic not below systolic,
// vital_trend_duration_s keys that are not Vitals fields, on_action without
// a kind. Warnings: dead ends (non-terminal states without transitions),
// transitions out of terminal states, no terminal state at all.
void CheckScenario(const pedisim::v1::Scenario& scenario, DiagnosticSink& sink);

// Errors: negative at_s, actions out of time order, actions without a kind.
void CheckActionScript(const pedisim::v1::ActionScript& script, DiagnosticSink& sink);

}  // namespace pedisim::scenario

#endif  // PEDISIM_CONTROLLER_SCENARIO_SCENARIO_CHECKS_H_

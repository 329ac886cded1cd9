#pragma once

#include "core/scenario/diagnostics.h"
#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/scenario.pb.h"

// Checks of what the file format alone cannot express: references between
// states, required fields, physiologic bounds. They run on a message that
// parsed cleanly and report through `sink`, whose source map places each
// diagnostic at the offending field.
namespace pedisim::scenario {

// Errors: missing or malformed id, missing title, patient without an age,
// implausible weight, negative noise_scale, no states, unnamed or duplicate
// states, initial_state or to_state naming no state, transitions without a
// trigger, negative times, vitals outside physiologic bounds or diastolic
// not below systolic, vital_trend_duration_s keys that are not Vitals
// fields; action conditions (transitions' and handlers' on_action, critical
// actions' action) without a kind, with a negative or inverted range, an
// empty route or a negative within_s; on_vital naming no vital or without a
// threshold; handlers naming unknown states or vitals, with negative
// durations, or without effects, findings or explanation; critical actions
// without a positive deadline_s or with an unknown from_state; capillary
// refill outside 0 to 20 s.
// Warnings: dead ends (non-terminal states without transitions),
// transitions out of terminal states, no terminal state at all, action
// conditions on a drug, route or quantity the kind never carries, effects
// that change nothing. When there are no errors, also the lint warnings of
// lint_checks.cc: unreachable states, transitions that can never fire, and
// initial vitals outside the patient's age band's normal range.
void CheckScenario(const pedisim::v1::Scenario& scenario, DiagnosticSink& sink);

// Errors: negative at_s, entries out of time order, entries with neither an
// action nor compressions, actions without a kind, compression runs without
// a positive duration_s and rate_per_min or with a negative depth or
// ventilation rate.
void CheckActionScript(const pedisim::v1::ActionScript& script, DiagnosticSink& sink);

}  // namespace pedisim::scenario

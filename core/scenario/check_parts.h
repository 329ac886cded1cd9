#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/scenario/diagnostics.h"
#include "pedisim/v1/scenario.pb.h"

// The parts of CheckScenario (scenario_checks.h), one file each, and what
// they share. Internal to controller/scenario.
namespace pedisim::scenario::checks {

// "120", "0.5": a number as diagnostics show it.
std::string Number(double value);

// "states[2]".
std::string Indexed(std::string_view field, int index);

void CheckNotNegative(double value, const std::string& path, std::string_view name,
                      DiagnosticSink& sink);

// "`what` 'x' is not a state of this scenario; did you mean 'y'?", or the
// list of states when nothing is close.
std::string NotAStateMessage(std::string_view what, const std::string& name,
                             const std::vector<std::string>& state_names);

// Whether `name` is one of `names`.
bool Contains(const std::vector<std::string>& names, const std::string& name);

// transition_checks.cc: the target, the trigger and its conditions.
void CheckTransition(const v1::Transition& transition, const std::string& path,
                     const std::vector<std::string>& state_names, DiagnosticSink& sink);

// Conditions of a learner action at `path`. `never_fires` completes the
// warning about a condition the kind cannot meet ("this handler may never
// apply").
void CheckActionTrigger(const v1::ActionTrigger& trigger, const std::string& path,
                        std::string_view never_fires, DiagnosticSink& sink);

// A vital threshold (on_vital, vital_crossing) at `path`.
void CheckVitalTrigger(const v1::VitalTrigger& trigger, const std::string& path,
                       DiagnosticSink& sink);

// handler_checks.cc.
void CheckHandlers(const v1::Scenario& scenario, const std::vector<std::string>& state_names,
                   DiagnosticSink& sink);
void CheckFindings(const v1::Findings& findings, const std::string& path, DiagnosticSink& sink);

// assessment_checks.cc: critical actions, order constraints, commission
// rules and instructor items.
void CheckAssessmentRules(const v1::Scenario& scenario, const std::vector<std::string>& state_names,
                          DiagnosticSink& sink);

// condition_checks.cc: the scenario's quantities and every condition
// (transitions' `when`, critical actions' `condition`); the lint about a
// quantity no condition uses and a condition that can never hold.
void CheckConditions(const v1::Scenario& scenario, const std::vector<std::string>& state_names,
                     DiagnosticSink& sink);
void LintConditions(const v1::Scenario& scenario, DiagnosticSink& sink);

// diagnostic_checks.cc: the scenario's diagnostic results (named tests,
// something to show, known and distinct states); the lint about a rule
// waiting for a test with no result and a result for a test nothing orders.
void CheckDiagnosticResults(const v1::Scenario& scenario,
                            const std::vector<std::string>& state_names, DiagnosticSink& sink);
void LintDiagnostics(const v1::Scenario& scenario, DiagnosticSink& sink);
// shock_checks.cc: shock odds (bands, probabilities) and the shock_result
// of triggers.
void CheckShocks(const v1::Scenario& scenario, DiagnosticSink& sink);

// lint_checks.cc: warnings about a scenario without errors.
void LintScenario(const v1::Scenario& scenario, DiagnosticSink& sink);

}  // namespace pedisim::scenario::checks

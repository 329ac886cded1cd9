// Warnings about scenarios that load but probably do not do what their
// author meant: states no transition reaches, transitions that cannot fire,
// a presenting picture outside the age band's normal range. Each is decided
// from the file alone and soundly: when in doubt, no warning.
#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/patient/patient_size.h"
#include "core/scenario/check_parts.h"
#include "core/scenario/scenario_loader.h"
#include "core/scenario/spelling.h"
#include "core/vitals/age_bands.h"
#include "core/vitals/vital_table.h"

namespace pedisim::scenario::checks {
namespace {

using v1::Scenario;
using v1::Transition;

constexpr double kNever = std::numeric_limits<double>::infinity();

std::string StatePath(int state) { return Indexed("states", state); }

std::string TransitionPath(int state, int transition) {
  return StatePath(state) + "." + Indexed("transitions", transition);
}

// The earliest simulated time at which `transition` can change the state
// when the state was entered at `entered_s`: a lower bound, since actions
// and vital crossings may come at once.
double EarliestChange(const Transition& transition, double entered_s) {
  switch (transition.trigger_case()) {
    case Transition::kAfterTimeInStateS:
      return entered_s + transition.after_time_in_state_s() + transition.delay_s();
    case Transition::kAtScenarioTimeS:
      return std::max(entered_s, transition.at_scenario_time_s()) + transition.delay_s();
    case Transition::kInstructorChoice:
      return transition.instructor_choice() ? entered_s : kNever;
    case Transition::kOnAction:
    case Transition::kOnVital:
    case Transition::kWhen:
      return entered_s + transition.delay_s();
    case Transition::TRIGGER_NOT_SET:
      break;
  }
  return kNever;
}

// For each state, the earliest time the scenario's transitions can enter
// it (kNever when none can): Dijkstra over the states, since the time a
// transition fires never decreases with the time its state was entered.
// Terminal states end the scenario, so their transitions lead nowhere.
std::vector<double> EarliestEntries(const Scenario& scenario) {
  std::map<std::string, int> index;
  for (int i = 0; i < scenario.states_size(); ++i) index.emplace(scenario.states(i).name(), i);
  std::vector<double> earliest(scenario.states_size(), kNever);
  std::vector<bool> settled(scenario.states_size(), false);
  earliest[index.at(scenario.initial_state())] = 0;
  while (true) {
    int next = -1;
    for (int i = 0; i < scenario.states_size(); ++i) {
      if (!settled[i] && earliest[i] < kNever && (next < 0 || earliest[i] < earliest[next])) {
        next = i;
      }
    }
    if (next < 0) return earliest;
    settled[next] = true;
    if (scenario.states(next).terminal()) continue;
    for (const Transition& transition : scenario.states(next).transitions()) {
      const int target = index.at(transition.to_state());
      earliest[target] = std::min(earliest[target], EarliestChange(transition, earliest[next]));
    }
  }
}

void WarnAboutUnreachableStates(const Scenario& scenario, const std::vector<double>& earliest,
                                DiagnosticSink& sink) {
  for (int i = 0; i < scenario.states_size(); ++i) {
    if (earliest[i] < kNever) continue;
    sink.WarningAtKey(StatePath(i), "state " + Quoted(scenario.states(i).name()) +
                                        " cannot be reached from the initial state " +
                                        Quoted(scenario.initial_state()) +
                                        " through any transition; it is reachable only by an "
                                        "instructor's GoToState");
  }
}

// A transition after an earlier one that always fires first: the first
// transition whose trigger holds wins, and an unconditional timer with no
// delay leaves the state at its time.
void WarnAboutShadowedTransitions(const Scenario& scenario, int state, DiagnosticSink& sink) {
  const auto& transitions = scenario.states(state).transitions();
  for (int i = 1; i < transitions.size(); ++i) {
    const Transition& later = transitions[i];
    if (later.trigger_case() == Transition::kInstructorChoice) continue;
    for (int j = 0; j < i; ++j) {
      const Transition& earlier = transitions[j];
      if (earlier.trigger_case() != Transition::kAfterTimeInStateS || earlier.delay_s() != 0) {
        continue;
      }
      const double leaves_after_s = earlier.after_time_in_state_s();
      const std::string earlier_text = "the earlier transition to " + Quoted(earlier.to_state());
      if (leaves_after_s == 0) {
        sink.WarningAtKey(TransitionPath(state, i), "this transition never fires: " + earlier_text +
                                                        " fires as soon as the state is entered");
        break;
      }
      if (later.trigger_case() == Transition::kAfterTimeInStateS &&
          later.after_time_in_state_s() >= leaves_after_s) {
        sink.WarningAtValue(TransitionPath(state, i) + ".after_time_in_state_s",
                            "this transition never fires: " + earlier_text +
                                " leaves the state after " + Number(leaves_after_s) +
                                " s, no later than this one's " +
                                Number(later.after_time_in_state_s()) + " s");
        break;
      }
    }
  }
}

void WarnAboutImpossibleThresholds(const v1::VitalTrigger& trigger, const std::string& path,
                                   DiagnosticSink& sink) {
  const std::optional<int> index = vitals::VitalFieldIndex(trigger.vital());
  if (!index) return;
  const vitals::VitalField& field = vitals::VitalFields()[*index];
  const std::string name(field.name);
  if (trigger.has_below() && trigger.below() <= field.min) {
    sink.WarningAtValue(path + ".below", name + " is never below " + Number(trigger.below()) +
                                             " (its lowest possible value is " + Number(field.min) +
                                             "), so this threshold is never crossed");
  }
  if (trigger.has_above() && trigger.above() >= field.max) {
    sink.WarningAtValue(path + ".above", name + " is never above " + Number(trigger.above()) +
                                             " (its highest possible value is " +
                                             Number(field.max) +
                                             "), so this threshold is never crossed");
  }
}

void WarnAboutTransitionsThatCannotFire(const Scenario& scenario,
                                        const std::vector<double>& earliest, DiagnosticSink& sink) {
  for (int s = 0; s < scenario.states_size(); ++s) {
    const v1::State& state = scenario.states(s);
    // CheckScenario already says that a terminal state's transitions never fire.
    if (state.terminal()) continue;
    WarnAboutShadowedTransitions(scenario, s, sink);
    for (int t = 0; t < state.transitions_size(); ++t) {
      const Transition& transition = state.transitions(t);
      if (transition.has_on_vital()) {
        WarnAboutImpossibleThresholds(transition.on_vital(), TransitionPath(s, t) + ".on_vital",
                                      sink);
      }
      if (transition.has_at_scenario_time_s() && earliest[s] < kNever &&
          transition.at_scenario_time_s() < earliest[s]) {
        sink.WarningAtValue(TransitionPath(s, t) + ".at_scenario_time_s",
                            "at_scenario_time_s " + Number(transition.at_scenario_time_s()) +
                                " is earlier than state " + Quoted(state.name()) +
                                " can be entered through its transitions (" + Number(earliest[s]) +
                                " s at the soonest), so the scenario clock has always passed it "
                                "when this transition is considered");
      }
    }
  }
}

// The initial state is the presenting picture; a value outside the normal
// range may be the point of the case, but it is worth a second look.
// Emergencies are abnormal by design, so being outside the normal range is
// not surprising, and low values (bradycardia, hypotension, apnoea) are what
// arrests look like at every age. What is surprising: a value more than
// twice the top of the age band's normal range, which reads like a number
// meant for another age or a slip of a digit. Only the vitals whose normal
// range depends on age are judged.
bool AgeDependent(std::string_view vital) {
  return vital == "heart_rate_bpm" || vital == "respiratory_rate_bpm" ||
         vital == "nibp_systolic_mmhg" || vital == "nibp_diastolic_mmhg" ||
         vital == "nibp_mean_mmhg";
}

void WarnAboutVitalsSurprisingForAge(const Scenario& scenario, DiagnosticSink& sink) {
  const v1::AgeBand band = vitals::AgeBandFor(patient::AgeInYears(scenario.patient()));
  for (int s = 0; s < scenario.states_size(); ++s) {
    const v1::State& state = scenario.states(s);
    if (state.vitals_relative()) continue;  // changes, not values to judge for age
    for (const vitals::VitalField& field : vitals::VitalFields()) {
      if (!AgeDependent(field.name) || !(state.vitals().*field.has)()) continue;
      const std::optional<v1::VitalRange> range = vitals::RangeOf(band.normal(), field.name);
      if (!range) continue;
      const double value = (state.vitals().*field.get)();
      if (value <= 2 * range->high()) continue;
      const std::string name(field.name);
      sink.WarningAtValue(StatePath(s) + ".vitals." + name,
                          name + " " + Number(value) + " is more than twice the top of the " +
                              band.name() + " normal range " + Number(range->low()) + "-" +
                              Number(range->high()) + " (" +
                              std::string(vitals::NormalRangeSource(field.name)) +
                              "); is it meant for another age?");
    }
  }
}

}  // namespace

void LintScenario(const Scenario& scenario, DiagnosticSink& sink) {
  const std::vector<double> earliest = EarliestEntries(scenario);
  WarnAboutUnreachableStates(scenario, earliest, sink);
  WarnAboutTransitionsThatCannotFire(scenario, earliest, sink);
  WarnAboutVitalsSurprisingForAge(scenario, sink);
}

}  // namespace pedisim::scenario::checks

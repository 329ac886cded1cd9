#include "core/scenario/scenario_checks.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/scenario/check_parts.h"
#include "core/scenario/spelling.h"
#include "core/vitals/vital_table.h"
#include "pedisim/v1/vitals.pb.h"

namespace pedisim::scenario {
namespace checks {

std::string Number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

std::string Indexed(std::string_view field, int index) {
  return std::string(field) + "[" + std::to_string(index) + "]";
}

void CheckNotNegative(double value, const std::string& path, std::string_view name,
                      DiagnosticSink& sink) {
  if (value < 0) {
    sink.ErrorAtValue(path, std::string(name) + " must not be negative, got " + Number(value));
  }
}

std::string NotAStateMessage(std::string_view what, const std::string& name,
                             const std::vector<std::string>& state_names) {
  std::string message = std::string(what) + " " + Quoted(name) + " is not a state of this scenario";
  if (std::optional<std::string> suggestion = SuggestClosest(name, state_names)) {
    return message + "; did you mean " + Quoted(*suggestion) + "?";
  }
  return message + "; states are: " + JoinNames(state_names);
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace checks

namespace {

using checks::CheckAssessmentRules;
using checks::CheckFindings;
using checks::CheckHandlers;
using checks::CheckNotNegative;
using checks::CheckTransition;
using checks::LintScenario;
using checks::NotAStateMessage;
using checks::Number;

using pedisim::v1::Scenario;
using pedisim::v1::State;
using pedisim::v1::Transition;
using pedisim::v1::Vitals;

constexpr double kMinPlausibleWeightKg = 0.3;
constexpr double kMaxPlausibleWeightKg = 150;

bool IsValidId(const std::string& id) {
  auto allowed = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && c == '-');
  };
  if (id.empty() || !allowed(id.front(), true)) return false;
  return std::all_of(id.begin() + 1, id.end(), [&](char c) { return allowed(c, false); });
}

void CheckIdentity(const Scenario& scenario, DiagnosticSink& sink) {
  if (scenario.id().empty()) {
    sink.ErrorAtKey("id", "id is required (lower-case words joined by '-', e.g. 'infant-sepsis')");
  } else if (!IsValidId(scenario.id())) {
    sink.ErrorAtValue("id", "id " + Quoted(scenario.id()) +
                                " must be lower-case letters, digits and '-', starting with a "
                                "letter or digit");
  }
  if (scenario.title().empty()) sink.ErrorAtKey("title", "title is required");
}

void CheckPatient(const Scenario& scenario, DiagnosticSink& sink) {
  if (!scenario.has_patient()) {
    sink.ErrorAtKey("patient", "patient is required, with at least an age");
    return;
  }
  const pedisim::v1::Patient& patient = scenario.patient();
  if (patient.age_case() == pedisim::v1::Patient::AGE_NOT_SET) {
    sink.ErrorAtKey("patient.age_years",
                    "patient has no age; set one of age_days, age_months or age_years");
  }
  if (patient.has_weight_kg() && !(patient.weight_kg() >= kMinPlausibleWeightKg &&
                                   patient.weight_kg() <= kMaxPlausibleWeightKg)) {
    sink.ErrorAtValue("patient.weight_kg", "weight_kg " + Number(patient.weight_kg()) +
                                               " is not a plausible weight (" +
                                               Number(kMinPlausibleWeightKg) + " to " +
                                               Number(kMaxPlausibleWeightKg) + " kg)");
  }
}

void CheckVitals(const Vitals& vitals, const std::string& path, DiagnosticSink& sink) {
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    if (!(vitals.*field.has)()) continue;
    const double value = (vitals.*field.get)();
    if (value < field.min || value > field.max) {
      const std::string name(field.name);
      sink.ErrorAtValue(path + "." + name,
                        name + " " + Number(value) + " is outside physiologic bounds (" +
                            Number(field.min) + " to " + Number(field.max) + ")");
    }
  }
  if (vitals.has_nibp_systolic_mmhg() && vitals.has_nibp_diastolic_mmhg() &&
      vitals.nibp_diastolic_mmhg() >= vitals.nibp_systolic_mmhg()) {
    sink.ErrorAtValue(path + ".nibp_diastolic_mmhg", "nibp_diastolic_mmhg " +
                                                         Number(vitals.nibp_diastolic_mmhg()) +
                                                         " must be below nibp_systolic_mmhg " +
                                                         Number(vitals.nibp_systolic_mmhg()));
  }
}

// A relative state's vitals are changes: any sign, but no larger than the
// span a monitor can show.
void CheckVitalChanges(const Vitals& vitals, const std::string& path, DiagnosticSink& sink) {
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    if (!(vitals.*field.has)()) continue;
    const double change = (vitals.*field.get)();
    const double span = field.max - field.min;
    if (std::abs(change) > span) {
      const std::string name(field.name);
      sink.ErrorAtValue(path + "." + name, "change of " + name + " " + Number(change) +
                                               " is more than the whole span a monitor shows (" +
                                               Number(field.min) + " to " + Number(field.max) +
                                               ")");
    }
  }
}

void CheckTrendDurations(const State& state, const std::string& path, DiagnosticSink& sink) {
  CheckNotNegative(state.trend_duration_s(), path + ".trend_duration_s", "trend_duration_s", sink);
  std::vector<std::string> vital_names;
  for (int i = 0; i < Vitals::descriptor()->field_count(); ++i) {
    vital_names.push_back(Vitals::descriptor()->field(i)->name());
  }
  // Sorted so that diagnostics come out in the same order every run.
  const std::map<std::string, double> durations(state.vital_trend_duration_s().begin(),
                                                state.vital_trend_duration_s().end());
  for (const auto& [vital, duration] : durations) {
    const std::string entry_path = path + ".vital_trend_duration_s[" + vital + "]";
    if (std::find(vital_names.begin(), vital_names.end(), vital) == vital_names.end()) {
      std::string message = Quoted(vital) + " in vital_trend_duration_s is not a Vitals field";
      if (std::optional<std::string> suggestion = SuggestClosest(vital, vital_names)) {
        message += "; did you mean " + Quoted(*suggestion) + "?";
      } else {
        message += "; fields are: " + JoinNames(vital_names);
      }
      sink.ErrorAtKey(entry_path, std::move(message));
    }
    CheckNotNegative(duration, entry_path, "trend duration", sink);
  }
}

// Returns the names of the states, each once.
std::vector<std::string> CheckStates(const Scenario& scenario, DiagnosticSink& sink) {
  std::vector<std::string> state_names;
  if (scenario.states().empty()) {
    sink.ErrorAtKey("states", "scenario has no states; at least one is required");
    return state_names;
  }
  std::map<std::string, std::string> first_path_by_name;
  for (int i = 0; i < scenario.states_size(); ++i) {
    const std::string& name = scenario.states(i).name();
    const std::string name_path = "states[" + std::to_string(i) + "].name";
    if (name.empty()) {
      sink.ErrorAtKey(name_path, "state has no name");
      continue;
    }
    if (auto [first, inserted] = first_path_by_name.emplace(name, name_path); !inserted) {
      sink.ErrorAtValue(name_path, "duplicate state name " + Quoted(name) + "; first defined at " +
                                       sink.LineOf(first->second, name_path));
      continue;
    }
    state_names.push_back(name);
  }

  if (scenario.initial_state().empty()) {
    sink.ErrorAtKey("initial_state", "initial_state is required; name the state to start in");
  } else if (!first_path_by_name.contains(scenario.initial_state())) {
    sink.ErrorAtValue("initial_state",
                      NotAStateMessage("initial_state", scenario.initial_state(), state_names));
  }

  bool any_terminal = false;
  for (int i = 0; i < scenario.states_size(); ++i) {
    const State& state = scenario.states(i);
    const std::string path = "states[" + std::to_string(i) + "]";
    if (state.has_vitals()) {
      if (state.vitals_relative()) {
        CheckVitalChanges(state.vitals(), path + ".vitals", sink);
      } else {
        CheckVitals(state.vitals(), path + ".vitals", sink);
      }
    }
    if (state.has_findings()) CheckFindings(state.findings(), path + ".findings", sink);
    CheckTrendDurations(state, path, sink);
    for (int j = 0; j < state.transitions_size(); ++j) {
      CheckTransition(state.transitions(j), path + ".transitions[" + std::to_string(j) + "]",
                      state_names, sink);
    }
    any_terminal = any_terminal || state.terminal();
    if (state.terminal() && !state.transitions().empty()) {
      sink.WarningAtKey(path + ".transitions",
                        "terminal state " + Quoted(state.name()) +
                            " has transitions; they never fire because entering it ends the "
                            "scenario");
    } else if (!state.terminal() && state.transitions().empty()) {
      sink.WarningAtKey(path, "state " + Quoted(state.name()) +
                                  " is neither terminal nor has transitions; only an instructor "
                                  "can leave it");
    }
  }
  if (!any_terminal) {
    sink.WarningAtKey("states",
                      "no state is terminal; the scenario can only end by an instructor's stop");
  }
  return state_names;
}

// A transition that fires the moment its state is entered.
bool FiresOnEntry(const Transition& transition) {
  return transition.trigger_case() == Transition::kAfterTimeInStateS &&
         transition.after_time_in_state_s() == 0 && transition.delay_s() == 0;
}

// States joined in a cycle by transitions that fire on entry would hand the
// patient round forever without a moment of simulated time passing.
void CheckZeroTimeLoops(const Scenario& scenario, DiagnosticSink& sink) {
  std::map<std::string, int> index;
  for (int i = 0; i < scenario.states_size(); ++i) index.emplace(scenario.states(i).name(), i);
  // The first on-entry transition of each state is the only one that can
  // fire on entry, since the first transition that holds wins.
  std::vector<int> next(scenario.states_size(), -1);
  std::vector<int> via(scenario.states_size(), -1);
  for (int i = 0; i < scenario.states_size(); ++i) {
    const State& state = scenario.states(i);
    for (int t = 0; t < state.transitions_size() && next[i] < 0; ++t) {
      const auto target = index.find(state.transitions(t).to_state());
      if (FiresOnEntry(state.transitions(t)) && target != index.end()) {
        next[i] = target->second;
        via[i] = t;
      }
    }
  }
  std::vector<int> visited_from(scenario.states_size(), -1);
  for (int start = 0; start < scenario.states_size(); ++start) {
    int state = start;
    while (state >= 0 && visited_from[state] < 0) {
      visited_from[state] = start;
      state = next[state];
    }
    if (state < 0 || visited_from[state] != start) continue;
    std::string loop = scenario.states(state).name();
    for (int member = next[state]; member != state; member = next[member]) {
      loop += " -> " + scenario.states(member).name();
    }
    loop += " -> " + scenario.states(state).name();
    sink.ErrorAtValue("states[" + std::to_string(state) + "].transitions[" +
                          std::to_string(via[state]) + "].after_time_in_state_s",
                      "states " + loop +
                          " form a loop of transitions that fire on entry, so simulated time "
                          "never passes in them; give one a time in state or a delay");
  }
}

}  // namespace

void CheckScenario(const Scenario& scenario, DiagnosticSink& sink) {
  CheckIdentity(scenario, sink);
  CheckPatient(scenario, sink);
  if (scenario.has_noise_scale()) {
    CheckNotNegative(scenario.noise_scale(), "noise_scale", "noise_scale", sink);
  }
  const std::vector<std::string> state_names = CheckStates(scenario, sink);
  CheckZeroTimeLoops(scenario, sink);
  CheckHandlers(scenario, state_names, sink);
  CheckAssessmentRules(scenario, state_names, sink);
  checks::CheckConditions(scenario, state_names, sink);
  checks::CheckDiagnosticResults(scenario, state_names, sink);
  checks::CheckShocks(scenario, sink);
  // Lint questions a scenario that is otherwise right; after an error (a
  // misspelt to_state) it would mostly repeat it (an unreachable state).
  if (!sink.has_errors()) {
    LintScenario(scenario, sink);
    checks::LintConditions(scenario, sink);
    checks::LintDiagnostics(scenario, sink);
  }
}

}  // namespace pedisim::scenario

// Checks of shocks that can fail (State.shock_odds, ActionTrigger.shock_result).
#include <string>

#include "core/scenario/check_parts.h"
#include "core/scenario/spelling.h"

namespace pedisim::scenario::checks {
namespace {

bool RangeIsBackwards(const v1::Range& range) {
  return range.has_min() && range.has_max() && range.min() > range.max();
}

void CheckBand(const v1::ShockOddsBand& band, const std::string& path, DiagnosticSink& sink) {
  const double odds = band.success_probability();
  if (!(odds >= 0 && odds <= 1)) {
    sink.ErrorAtValue(path + ".success_probability",
                      "success_probability " + Number(odds) +
                          " is not a probability: use a number from 0 to 1 (0.3 for 30 %)");
  }
  if (band.attempt().has_min() && band.attempt().min() < 1) {
    sink.ErrorAtValue(path + ".attempt.min", "attempts count from 1 (the session's first shock)");
  }
  if (RangeIsBackwards(band.attempt())) {
    sink.ErrorAtKey(path + ".attempt", "attempt min is above max, so no shock is in this band");
  }
  if (RangeIsBackwards(band.energy_j_per_kg())) {
    sink.ErrorAtKey(path + ".energy_j_per_kg",
                    "energy_j_per_kg min is above max, so no shock is in this band");
  }
}

bool WaitsForShock(const v1::Transition& transition) {
  return transition.has_on_action() &&
         transition.on_action().kind() == v1::ACTION_KIND_DEFIBRILLATION &&
         transition.on_action().shock_result() != v1::SHOCK_RESULT_FAILED;
}

// Only a transition's trigger reads shock_result; elsewhere it would
// suggest a distinction that is not made.
void CheckNoShockResult(const v1::ActionTrigger& trigger, const std::string& path,
                        DiagnosticSink& sink) {
  if (trigger.shock_result() == v1::SHOCK_RESULT_UNSPECIFIED) return;
  sink.WarningAtValue(path + ".shock_result",
                      "only a transition's on_action reads shock_result; here every shock counts");
}

}  // namespace

void CheckShocks(const v1::Scenario& scenario, DiagnosticSink& sink) {
  for (int s = 0; s < scenario.states_size(); ++s) {
    const v1::State& state = scenario.states(s);
    const std::string path = Indexed("states", s);
    if (state.has_shock_odds()) {
      if (state.shock_odds().bands().empty()) {
        sink.ErrorAtKey(path + ".shock_odds", "shock_odds has no bands, so every shock in state " +
                                                  Quoted(state.name()) + " would fail");
      }
      for (int b = 0; b < state.shock_odds().bands_size(); ++b) {
        CheckBand(state.shock_odds().bands(b), path + ".shock_odds." + Indexed("bands", b), sink);
      }
      bool waits_for_shock = false;
      for (const v1::Transition& transition : state.transitions()) {
        waits_for_shock = waits_for_shock || WaitsForShock(transition);
      }
      if (!waits_for_shock) {
        sink.WarningAtKey(path + ".shock_odds",
                          "no transition of state " + Quoted(state.name()) +
                              " takes a shock that ends the rhythm (on_action: {kind: "
                              "defibrillation}), so a successful shock changes nothing");
      }
    }
    for (int t = 0; t < state.transitions_size(); ++t) {
      const v1::Transition& transition = state.transitions(t);
      if (!transition.has_on_action() ||
          transition.on_action().shock_result() == v1::SHOCK_RESULT_UNSPECIFIED) {
        continue;
      }
      const std::string result_path =
          path + "." + Indexed("transitions", t) + ".on_action.shock_result";
      if (transition.on_action().kind() != v1::ACTION_KIND_DEFIBRILLATION) {
        sink.ErrorAtValue(result_path, "shock_result applies only to kind defibrillation");
      } else if (!state.has_shock_odds()) {
        sink.WarningAtValue(result_path, "state " + Quoted(state.name()) +
                                             " has no shock_odds, so every shock ends as the "
                                             "script says and shock_result changes nothing");
      }
    }
  }
  for (int h = 0; h < scenario.handlers_size(); ++h) {
    CheckNoShockResult(scenario.handlers(h).on_action(), Indexed("handlers", h) + ".on_action",
                       sink);
  }
  for (int c = 0; c < scenario.critical_actions_size(); ++c) {
    CheckNoShockResult(scenario.critical_actions(c).action(),
                       Indexed("critical_actions", c) + ".action", sink);
  }
  for (int c = 0; c < scenario.commission_rules_size(); ++c) {
    CheckNoShockResult(scenario.commission_rules(c).action(),
                       Indexed("commission_rules", c) + ".action", sink);
  }
}

}  // namespace pedisim::scenario::checks

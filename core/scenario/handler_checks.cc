// Checks of handlers (responses to actions in any state) and findings.
#include <optional>
#include <string>
#include <vector>

#include "core/scenario/check_parts.h"
#include "core/scenario/spelling.h"
#include "core/vitals/vital_table.h"

namespace pedisim::scenario::checks {
namespace {

// The slowest refill a manikin can show; normal is under 2 s, and beyond a
// few seconds the sign only says "very delayed".
constexpr double kMaxCapillaryRefillS = 20;

void CheckEffect(const v1::VitalEffect& effect, const std::string& path, DiagnosticSink& sink) {
  if (!vitals::VitalFieldIndex(effect.vital())) {
    std::vector<std::string> names;
    for (const vitals::VitalField& field : vitals::VitalFields()) names.emplace_back(field.name);
    std::string message = Quoted(effect.vital()) + " is not a vital an effect can change";
    if (std::optional<std::string> suggestion = SuggestClosest(effect.vital(), names)) {
      message += "; did you mean " + Quoted(*suggestion) + "?";
    } else {
      message += "; use one of " + vitals::VitalFieldNames();
    }
    sink.ErrorAtValue(path + ".vital", std::move(message));
  }
  if (effect.change() == 0) {
    sink.WarningAtKey(path, "effect on " + effect.vital() + " has no change, so it does nothing");
  }
  CheckNotNegative(effect.onset_s(), path + ".onset_s", "onset_s", sink);
  CheckNotNegative(effect.hold_s(), path + ".hold_s", "hold_s", sink);
  CheckNotNegative(effect.wear_off_s(), path + ".wear_off_s", "wear_off_s", sink);
  if (effect.lasting() && effect.wear_off_s() > 0) {
    sink.WarningAtValue(path + ".wear_off_s",
                        "wear_off_s does nothing for a lasting effect, which never wears off");
  }
}

// A rhythm for a while must say which rhythm and for how long: without a
// duration it would never show, and an endless one is a state's job.
void CheckRhythmEffect(const v1::RhythmEffect& effect, const std::string& handler_path,
                       DiagnosticSink& sink) {
  const std::string path = handler_path + ".rhythm_effect";
  if (effect.rhythm() == v1::RHYTHM_UNSPECIFIED) {
    sink.ErrorAtKey(path, "rhythm_effect needs a rhythm (asystole for adenosine's pause)");
  }
  const std::string duration_message =
      "rhythm_effect needs a duration_s above 0: how long the rhythm lasts before the script's "
      "shows again (a lasting rhythm is a state's)";
  if (effect.duration_s() == 0) {
    sink.ErrorAtKey(path, duration_message);
  } else if (!(effect.duration_s() > 0)) {
    sink.ErrorAtValue(path + ".duration_s", duration_message);
  }
}

void CheckHandler(const v1::Handler& handler, const std::string& path,
                  const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  CheckActionTrigger(handler.on_action(), path + ".on_action", "this handler may never apply",
                     sink);
  for (int i = 0; i < handler.states_size(); ++i) {
    if (!Contains(state_names, handler.states(i))) {
      sink.ErrorAtValue(path + "." + Indexed("states", i),
                        NotAStateMessage("state", handler.states(i), state_names));
    }
  }
  for (int i = 0; i < handler.effects_size(); ++i) {
    CheckEffect(handler.effects(i), path + "." + Indexed("effects", i), sink);
  }
  if (handler.has_findings()) CheckFindings(handler.findings(), path + ".findings", sink);
  if (handler.has_rhythm_effect()) CheckRhythmEffect(handler.rhythm_effect(), path, sink);
  // An explanation alone is a response too: the event log and the debrief
  // show it ("the meter reads HI").
  if (handler.effects().empty() && !handler.has_findings() && !handler.has_rhythm_effect() &&
      handler.explanation().empty()) {
    const std::string what =
        handler.name().empty() ? "handler" : "handler " + Quoted(handler.name());
    sink.ErrorAtKey(path,
                    what + " has no effects, findings or explanation, so it would do nothing");
  }
}

}  // namespace

void CheckHandlers(const v1::Scenario& scenario, const std::vector<std::string>& state_names,
                   DiagnosticSink& sink) {
  for (int i = 0; i < scenario.handlers_size(); ++i) {
    CheckHandler(scenario.handlers(i), Indexed("handlers", i), state_names, sink);
  }
}

void CheckFindings(const v1::Findings& findings, const std::string& path, DiagnosticSink& sink) {
  if (findings.has_capillary_refill_s() &&
      !(findings.capillary_refill_s() >= 0 &&
        findings.capillary_refill_s() <= kMaxCapillaryRefillS)) {
    sink.ErrorAtValue(path + ".capillary_refill_s",
                      "capillary_refill_s " + Number(findings.capillary_refill_s()) +
                          " is outside 0 to " + Number(kMaxCapillaryRefillS) + " s");
  }
}

}  // namespace pedisim::scenario::checks

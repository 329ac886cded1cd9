// Checks of timed action files (pedisim.v1.ActionScript).
#include <string>

#include "core/scenario/check_parts.h"
#include "core/scenario/scenario_checks.h"

namespace pedisim::scenario {
namespace {

using checks::CheckNotNegative;
using checks::Number;

// A run that a manikin would expand into no compressions at all.
void CheckCompressionRun(const pedisim::v1::CompressionRun& run, const std::string& entry_path,
                         DiagnosticSink& sink) {
  const std::string path = entry_path + ".compressions";
  // The upper bounds keep one line of a script from asking a manikin for
  // millions of compressions: a day of CPR, at a rate no hands can reach.
  if (!(run.duration_s() > 0 && run.duration_s() <= 86400)) {
    sink.ErrorAtValue(path + ".duration_s",
                      "duration_s must be between 0 and 86400 s, got " + Number(run.duration_s()));
  }
  if (!(run.rate_per_min() > 0 && run.rate_per_min() <= 300)) {
    sink.ErrorAtValue(path + ".rate_per_min",
                      "rate_per_min must be between 0 and 300, got " + Number(run.rate_per_min()));
  }
  CheckNotNegative(run.depth_mm(), path + ".depth_mm", "depth_mm", sink);
  CheckNotNegative(run.ventilations_per_min(), path + ".ventilations_per_min",
                   "ventilations_per_min", sink);
}

}  // namespace

void CheckActionScript(const v1::ActionScript& script, DiagnosticSink& sink) {
  for (int i = 0; i < script.actions_size(); ++i) {
    const pedisim::v1::ScriptedAction& scripted = script.actions(i);
    const std::string path = "actions[" + std::to_string(i) + "]";
    CheckNotNegative(scripted.at_s(), path + ".at_s", "at_s", sink);
    if (i > 0 && scripted.at_s() < script.actions(i - 1).at_s()) {
      sink.ErrorAtValue(path + ".at_s", "actions must be in time order: at_s " +
                                            Number(scripted.at_s()) + " comes after at_s " +
                                            Number(script.actions(i - 1).at_s()));
    }
    if (!scripted.has_action() && !scripted.has_compressions()) {
      sink.ErrorAtKey(path, "entry has neither an action nor compressions");
    } else if (scripted.has_action() &&
               scripted.action().kind() == pedisim::v1::ACTION_KIND_UNSPECIFIED) {
      sink.ErrorAtKey(path + ".action.kind", "action has no kind");
    } else if (scripted.has_action() &&
               scripted.action().kind() == pedisim::v1::ACTION_KIND_DIAGNOSTIC_ORDERED &&
               scripted.action().diagnostic().find_first_not_of(" \t") == std::string::npos) {
      sink.ErrorAtKey(path + ".action",
                      "a diagnostic_ordered action names its test: set diagnostic "
                      "(blood_gas, blood_culture, lactate, glucose, chest_xray, ecg_12_lead, "
                      "or a test the scenario defines)");
    }
    if (scripted.has_compressions()) CheckCompressionRun(scripted.compressions(), path, sink);
  }
}

}  // namespace pedisim::scenario

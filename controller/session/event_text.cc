#include "controller/session/event_text.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/scenario/diagnostic_results.h"
#include "core/scenario/proto_scalar.h"
#include "core/text/enum_names.h"
#include "core/text/numbers.h"
#include "core/vitals/vital_table.h"

namespace pedisim::session {

std::string StatusName(v1::SessionStatus status) { return text::EnumWords(status); }

std::string DescribeOverride(const v1::OverrideVitalsRequest& request) {
  std::string text;
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    if (!(request.vitals().*field.has)()) continue;
    text += fmt::format("{}{} -> {:g}", text.empty() ? "" : ", ", field.name,
                        (request.vitals().*field.get)());
  }
  if (request.vitals().has_rhythm()) {
    text += (text.empty() ? "" : ", ") + std::string("rhythm -> ") +
            vitals::RhythmName(request.vitals().rhythm());
  }
  for (const std::string& name : request.release()) {
    text += (text.empty() ? "released " : ", released ") + name;
  }
  if (request.trend_duration_s() > 0)
    text += fmt::format(" over {:g} s", request.trend_duration_s());
  return text;
}

std::string DescribeResult(const v1::ReleasedDiagnosticResult& result) {
  const std::string values = scenario::DescribeValues(result.values());
  std::string text = result.diagnostic() + " result released";
  if (!values.empty()) text += fmt::format(": {}", values);
  if (!result.text().empty())
    text += fmt::format("{} {}", values.empty() ? ":" : ";", result.text());
  return text;
}

std::string DescribeAction(const v1::LearnerAction& action) {
  std::string text = text::EnumWords(action.kind());
  if (!action.drug().empty()) text += " " + action.drug();
  if (action.has_dose_mg()) text += fmt::format(" {} mg", text::PlainNumber(action.dose_mg(), 6));
  if (!action.route().empty()) text += " " + action.route();
  if (!action.diagnostic().empty()) text += fmt::format(" {}", action.diagnostic());
  if (action.sensor() != v1::MONITOR_SENSOR_UNSPECIFIED) {
    text += fmt::format(" {}", text::EnumWords(action.sensor()));
  }
  if (action.confirmation() != v1::TUBE_CONFIRMATION_UNSPECIFIED) {
    text += fmt::format(" by {}", text::EnumWords(action.confirmation()));
  }
  if (action.has_energy_j()) text += fmt::format(" {:g} J", action.energy_j());
  if (action.has_volume_ml()) text += fmt::format(" {:g} mL", action.volume_ml());
  if (action.has_oxygen_flow_l_per_min()) {
    text += fmt::format(" {:g} L/min", action.oxygen_flow_l_per_min());
  }
  // What a monitor's acknowledgement or audio pause silenced, so that the
  // debrief's line says it (the event's source names the device).
  if (!action.alarm().empty()) text += ": " + action.alarm();
  // A free-text action is its note: without it the log says only "other".
  if (action.kind() == v1::ACTION_KIND_OTHER && !action.note().empty()) {
    text += ": " + action.note();
  }
  if (!action.performer().empty()) text += " by " + action.performer();
  return text;
}

}  // namespace pedisim::session

#include "client/console/formatting.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>

#include "client/console/device_text.h"
#include "core/scenario/condition_text.h"
#include "core/text/enum_names.h"
#include "core/text/session_status.h"
#include "core/vitals/vitals_text.h"

namespace pedisim::console {
namespace {

constexpr char kBold[] = "\x1b[1m";
constexpr char kResetStyle[] = "\x1b[0m";
// Wide enough for the longest agent name, "instructor".
constexpr size_t kAgentColumnWidth = 10;

std::string Plural(uint64_t count, const std::string& unit) {
  return std::to_string(count) + " " + unit + (count == 1 ? "" : "s");
}

bool IsOverridden(const google::protobuf::RepeatedPtrField<std::string>& overridden,
                  const std::string& field) {
  return std::find(overridden.begin(), overridden.end(), field) != overridden.end();
}

// Adds "  key  value" lines with aligned values; continuation lines of a
// multi-line value are indented under it.
class FieldList {
 public:
  void Add(const std::string& key, const std::string& value) {
    std::string padded_key = key;
    padded_key.resize(kKeyWidth, ' ');
    out_ << padded_key << value << '\n';
  }
  void AddContinuation(const std::string& value) {
    out_ << std::string(kKeyWidth, ' ') << value << '\n';
  }
  std::string str() const { return out_.str(); }

 private:
  static constexpr size_t kKeyWidth = 14;
  std::ostringstream out_;
};

// "1.50" -> "1.5", "2.00" -> "2".
std::string TrimmedNumber(double value, int max_decimals) {
  std::string text = FormatNumber(value, max_decimals);
  if (text.find('.') == std::string::npos) return text;
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::string FormatNumber(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  std::string text = buffer;
  // Rounding can produce "-0", which reads like a sign error.
  if (text.find_first_not_of("-0.") == std::string::npos && text[0] == '-') text.erase(0, 1);
  return text;
}

std::string FormatClock(double sim_time_s) {
  // A clock shows whole seconds elapsed; the slack absorbs float noise
  // (9.9999999 s is 10 s).
  const long long total = static_cast<long long>(std::floor(std::max(0.0, sim_time_s) + 1e-6));
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%02lld:%02lld", total / 60, total % 60);
  return buffer;
}

std::string FormatEventClock(double sim_time_s) {
  const long long tenths =
      static_cast<long long>(std::floor(std::max(0.0, sim_time_s) * 10 + 1e-6));
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%02lld:%02lld.%lld", tenths / 600, tenths % 600 / 10,
                tenths % 10);
  return buffer;
}

std::string FormatSpeed(double speed) { return TrimmedNumber(speed, 2) + "x"; }

std::string FormatSeconds(double seconds) { return TrimmedNumber(seconds, 1) + " s"; }

std::string FormatVitals(const v1::Vitals& vitals,
                         const google::protobuf::RepeatedPtrField<std::string>& overridden) {
  return vitals::FormatVitalsLine(
      vitals, [&](std::string_view field) { return IsOverridden(overridden, std::string(field)); });
}

std::string FormatStateVitals(const v1::State& state) {
  const std::string targets = FormatVitals(state.vitals());
  if (targets.empty()) return "";
  std::string text = (state.vitals_relative() ? "changes  " : "vitals  ") + targets;
  if (state.vitals_relative()) text += " (added to the previous targets)";
  if (state.trend_duration_s() > 0) text += "  over " + FormatSeconds(state.trend_duration_s());
  return text;
}

std::string FormatTrigger(const v1::Transition& transition) {
  switch (transition.trigger_case()) {
    case v1::Transition::kAfterTimeInStateS:
      return "after " + FormatSeconds(transition.after_time_in_state_s()) + " in state";
    case v1::Transition::kAtScenarioTimeS:
      return "at " + FormatClock(transition.at_scenario_time_s());
    case v1::Transition::kOnAction:
      return "on " + FormatActionTrigger(transition.on_action());
    case v1::Transition::kOnVital: {
      const v1::VitalTrigger& trigger = transition.on_vital();
      std::string text = "when " + trigger.vital();
      if (trigger.has_below()) text += " < " + TrimmedNumber(trigger.below(), 2);
      if (trigger.has_above()) text += " > " + TrimmedNumber(trigger.above(), 2);
      if (trigger.held_for_s() > 0) text += " for " + FormatSeconds(trigger.held_for_s());
      return text;
    }
    case v1::Transition::kWhen:
      return "when " + scenario::DescribeCondition(transition.when());
    case v1::Transition::kInstructorChoice:
      return "by instructor choice";
    case v1::Transition::TRIGGER_NOT_SET:
      break;
  }
  return "never (no trigger)";
}

std::string FormatActionTrigger(const v1::ActionTrigger& trigger) {
  std::string text = text::EnumWords(trigger.kind());
  if (!trigger.drug().empty()) text += " " + trigger.drug();
  const std::pair<const v1::Range*, const char*> ranges[] = {
      {&trigger.dose_mg_per_kg(), "mg/kg"},
      {&trigger.energy_j_per_kg(), "J/kg"},
      {&trigger.volume_ml_per_kg(), "mL/kg"}};
  for (const auto& [range, unit] : ranges) {
    if (range->has_min() && range->has_max()) {
      text += fmt::format(" {}-{}", TrimmedNumber(range->min(), 3), TrimmedNumber(range->max(), 3));
    } else if (range->has_min()) {
      text += " ≥ " + TrimmedNumber(range->min(), 3);
    } else if (range->has_max()) {
      text += " ≤ " + TrimmedNumber(range->max(), 3);
    } else {
      continue;
    }
    text += std::string(" ") + unit;
  }
  for (int i = 0; i < trigger.routes_size(); ++i) {
    text += (i == 0 ? " " : "/") + trigger.routes(i);
  }
  if (trigger.count() > 1) text += " x" + std::to_string(trigger.count());
  if (trigger.within_s() > 0) text += " within " + FormatSeconds(trigger.within_s());
  return text;
}

std::string FormatAge(const v1::Patient& patient) {
  switch (patient.age_case()) {
    case v1::Patient::kAgeDays:
      return Plural(patient.age_days(), "day");
    case v1::Patient::kAgeMonths:
      return Plural(patient.age_months(), "month");
    case v1::Patient::kAgeYears:
      return Plural(patient.age_years(), "year");
    case v1::Patient::AGE_NOT_SET:
      break;
  }
  return "";
}

std::string FormatPatient(const v1::Patient& patient) {
  std::vector<std::string> parts;
  if (!patient.name().empty()) parts.push_back(patient.name());
  if (const std::string age = FormatAge(patient); !age.empty()) parts.push_back(age);
  if (patient.sex() != v1::SEX_UNSPECIFIED) parts.push_back(text::EnumWords(patient.sex()));
  if (patient.has_weight_kg()) {
    parts.push_back(FormatNumber(patient.weight_kg(), 1) + " kg" +
                    (patient.weight_estimated() ? " (estimated)" : ""));
  }
  if (patient.has_height_cm()) parts.push_back(FormatNumber(patient.height_cm(), 0) + " cm");
  std::string text;
  for (const auto& part : parts) {
    if (!text.empty()) text += ", ";
    text += part;
  }
  return text;
}

std::string FormatEvent(const v1::Event& event, bool emphasize) {
  std::string agent = text::EnumWords(event.agent());
  agent.resize(std::max(agent.size(), kAgentColumnWidth), ' ');
  std::string line = fmt::format("[{}] {}  ", FormatEventClock(event.sim_time_s()), agent);
  if (event.kind() == v1::EVENT_KIND_TRANSITION_SCHEDULED) {
    // Not yet a state change: the entry is its own event when it fires.
    line += "--> scheduled: " + event.summary();
  } else if (event.has_state_change()) {
    std::string text = "==> state: " + event.state_change().to_state();
    if (!event.state_change().transition_label().empty()) {
      text += "  (" + event.state_change().transition_label() + ")";
    }
    // A transition on a condition says what made it hold.
    if (!event.state_change().reason().empty()) {
      text += fmt::format(": {}", event.state_change().reason());
    }
    line += emphasize ? kBold + text + kResetStyle : text;
  } else {
    line += event.summary();
  }
  return line;
}

std::string FormatSession(const v1::Session& session) {
  FieldList fields;
  fields.Add("id", session.id());
  fields.Add("scenario",
             session.scenario_id() +
                 (session.scenario_title().empty() ? "" : "  (" + session.scenario_title() + ")"));
  const std::string end = text::SessionEndText(session);
  fields.Add("status", text::SessionStatusText(session) + (end.empty() ? "" : "  (" + end + ")"));
  fields.Add("state", session.current_state() + "  (" + FormatClock(session.time_in_state_s()) +
                          " in state)");
  fields.Add("clock", FormatClock(session.sim_time_s()) + "  at " + FormatSpeed(session.speed()));
  fields.Add("patient", FormatPatient(session.patient()));
  fields.Add("vitals", FormatVitals(session.vitals()));
  if (!session.vital_holders().empty()) {
    // Sorted, so that the line reads the same each time.
    const std::map<std::string, std::string> holders(session.vital_holders().begin(),
                                                     session.vital_holders().end());
    std::string text;
    for (const auto& [field, account] : holders) {
      text += (text.empty() ? "" : ", ") + field + " by " + account;
    }
    fields.Add("held", text);
  }
  if (!session.pairing_code().empty()) {
    fields.Add("pairing", session.pairing_code() + "  (pedisim-device --pairing-code " +
                              session.pairing_code() + ")");
  }
  if (session.devices().empty()) fields.Add("devices", "none");
  for (int i = 0; i < session.devices_size(); ++i) {
    const std::string text = FormatDevice(session.devices(i));
    if (i == 0) {
      fields.Add("devices", text);
    } else {
      fields.AddContinuation(text);
    }
  }
  if (!session.missing_capabilities().empty()) {
    std::string text;
    for (const std::string& missing : session.missing_capabilities()) {
      text += (text.empty() ? "" : ", ") + missing;
    }
    fields.Add("needs", text + "  (no attached device provides these)");
  }
  if (!session.participants().empty()) {
    std::string text;
    for (const auto& participant : session.participants()) {
      if (!text.empty()) text += ", ";
      text += participant.name();
      if (!participant.role().empty()) text += " (" + participant.role() + ")";
    }
    fields.Add("participants", text);
  }
  for (int i = 0; i < session.pending_transitions_size(); ++i) {
    const v1::PendingTransition& pending = session.pending_transitions(i);
    std::string text = "-> " + pending.to_state();
    if (!pending.label().empty()) text += " (" + pending.label() + ")";
    // waiting_for already says how long a timed trigger has left.
    if (!pending.waiting_for().empty()) {
      text += ", waits for " + pending.waiting_for();
    } else if (pending.has_fires_in_s()) {
      text += ", fires in " + FormatClock(pending.fires_in_s());
    }
    if (i == 0) {
      fields.Add("pending", text);
    } else {
      fields.AddContinuation(text);
    }
  }
  fields.Add("seed", std::to_string(session.seed()));
  fields.Add("events", std::to_string(session.event_count()));
  if (session.has_created_at()) fields.Add("created", FormatLocalTime(session.created_at()));
  if (!session.data_path().empty()) fields.Add("data", session.data_path());
  if (!session.recording_error().empty()) {
    fields.Add("RECORDING", "FAILING: " + session.recording_error());
  }
  return fields.str();
}

std::string FormatDiagnostic(const v1::Diagnostic& diagnostic, const std::string& fallback_file) {
  std::string text = diagnostic.file().empty() ? fallback_file : diagnostic.file();
  if (diagnostic.line() > 0) {
    text += fmt::format(":{}", diagnostic.line());
    if (diagnostic.column() > 0) text += fmt::format(":{}", diagnostic.column());
  }
  text += diagnostic.severity() == v1::Diagnostic::SEVERITY_WARNING ? ": warning: " : ": error: ";
  text += diagnostic.message();
  if (!diagnostic.field_path().empty()) text += " [" + diagnostic.field_path() + "]";
  return text;
}

std::string FormatLocalTime(const google::protobuf::Timestamp& timestamp) {
  const std::time_t seconds = static_cast<std::time_t>(timestamp.seconds());
  std::tm local{};
  localtime_r(&seconds, &local);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S", &local);
  return buffer;
}

}  // namespace pedisim::console

#include "monitor/alarms/alarm_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace pedisim::monitor {

namespace {

struct Rule {
  const char* field;
  const char* label;
  v1::MonitorSensor sensor;
  AlarmPriority priority;
  int decimals;
};

constexpr Rule kRules[] = {
    {"heart_rate_bpm", "HR", v1::MONITOR_SENSOR_ECG_LEADS, AlarmPriority::kHigh, 0},
    {"spo2_pct", "SpO2", v1::MONITOR_SENSOR_SPO2_PROBE, AlarmPriority::kHigh, 0},
    {"respiratory_rate_bpm", "RR", v1::MONITOR_SENSOR_ECG_LEADS, AlarmPriority::kMedium, 0},
    {"etco2_mmhg", "EtCO2", v1::MONITOR_SENSOR_CAPNOGRAPHY, AlarmPriority::kMedium, 0},
    {"nibp_systolic_mmhg", "NBP-S", v1::MONITOR_SENSOR_NIBP_CUFF, AlarmPriority::kMedium, 0},
    {"temperature_c", "Temp", v1::MONITOR_SENSOR_TEMPERATURE_PROBE, AlarmPriority::kMedium, 1},
};

std::optional<double> ValueOf(const v1::Vitals& vitals, const std::string& field) {
  const google::protobuf::FieldDescriptor* descriptor =
      v1::Vitals::descriptor()->FindFieldByName(field);
  if (descriptor == nullptr || descriptor->type() != google::protobuf::FieldDescriptor::TYPE_DOUBLE)
    return std::nullopt;
  const google::protobuf::Reflection* reflection = v1::Vitals::GetReflection();
  if (!reflection->HasField(vitals, descriptor)) return std::nullopt;
  return reflection->GetDouble(vitals, descriptor);
}

const char* LethalRhythm(v1::Rhythm rhythm) {
  switch (rhythm) {
    case v1::RHYTHM_VENTRICULAR_FIBRILLATION:
      return "VFIB";
    case v1::RHYTHM_VENTRICULAR_TACHYCARDIA:
      return "VTACH";
    case v1::RHYTHM_ASYSTOLE:
      return "ASYSTOLE";
    case v1::RHYTHM_TORSADES:
      return "TORSADES";
    default:
      return nullptr;
  }
}

}  // namespace

const char* PriorityPrefix(AlarmPriority priority) {
  switch (priority) {
    case AlarmPriority::kHigh:
      return "***";
    case AlarmPriority::kMedium:
      return "**";
    case AlarmPriority::kLow:
      return "*";
  }
  return "";
}

std::vector<Alarm> EvaluateAlarms(const v1::Vitals& vitals,
                                  const google::protobuf::RepeatedPtrField<v1::VitalRange>& limits,
                                  const std::set<v1::MonitorSensor>& sensors,
                                  const std::set<v1::MonitorSensor>& lost) {
  std::vector<Alarm> alarms;
  const bool ecg = sensors.contains(v1::MONITOR_SENSOR_ECG_LEADS);
  if (ecg && vitals.has_rhythm()) {
    if (const char* name = LethalRhythm(vitals.rhythm())) {
      alarms.push_back({.id = name,
                        .text = std::string("***") + name,
                        .priority = AlarmPriority::kHigh,
                        .field = "heart_rate_bpm",
                        .technical = false});
    }
  }
  for (const Rule& rule : kRules) {
    if (!sensors.contains(rule.sensor)) continue;
    const std::optional<double> value = ValueOf(vitals, rule.field);
    if (!value) continue;
    const auto limit = std::find_if(limits.begin(), limits.end(), [&](const v1::VitalRange& range) {
      return range.vital() == rule.field;
    });
    if (limit == limits.end()) continue;
    const bool high = *value > limit->high();
    const bool low = *value < limit->low();
    if (!high && !low) continue;
    const std::string prefix = PriorityPrefix(rule.priority);
    alarms.push_back(
        {.id = std::string(rule.label) + (high ? " HIGH" : " LOW"),
         .text = prefix + fmt::format("{} {:.{}f}{}{:g}", rule.label, *value, rule.decimals,
                                      high ? ">" : "<", high ? limit->high() : limit->low()),
         .priority = rule.priority,
         .field = rule.field});
  }
  for (v1::MonitorSensor sensor : lost) {
    std::string message;
    switch (sensor) {
      case v1::MONITOR_SENSOR_ECG_LEADS:
        message = "ECG LEADS OFF";
        break;
      case v1::MONITOR_SENSOR_SPO2_PROBE:
        message = "SpO2 PROBE OFF";
        break;
      case v1::MONITOR_SENSOR_CAPNOGRAPHY:
        message = "CO2 LINE OFF";
        break;
      case v1::MONITOR_SENSOR_TEMPERATURE_PROBE:
        message = "TEMP PROBE OFF";
        break;
      case v1::MONITOR_SENSOR_NIBP_CUFF:
        message = "NIBP CUFF OFF";
        break;
      default:
        continue;
    }
    alarms.push_back({.id = message,
                      .text = "*" + message,
                      .priority = AlarmPriority::kLow,
                      .field = "",
                      .technical = true});
  }
  std::stable_sort(alarms.begin(), alarms.end(),
                   [](const Alarm& a, const Alarm& b) { return a.priority > b.priority; });
  return alarms;
}

}  // namespace pedisim::monitor

#pragma once

// Which alarms the monitor raises now, and at what priority (IEC 60601-1-8:
// high, medium, low; docs/monitor.md). A parameter alarms only while its
// sensor is attached; its limits are the session's age band's
// (Session.age_band.alarm_limits), which the instructor sets per session.
//
// Priorities [model, docs/monitor.md]: in children bradycardia and
// desaturation come before arrest, so HR and SpO2 beyond their limits, and
// a lethal rhythm (VF, VT, asystole, PEA, torsades) are high priority; RR,
// EtCO2, NIBP and temperature beyond their limits are medium. A sensor
// that was on and came off is a low-priority technical alarm (a monitor
// alarms for a probe that fell off, not for one never put on).

#include <set>
#include <string>
#include <vector>

#include "pedisim/v1/session.pb.h"

namespace pedisim::monitor {

enum class AlarmPriority { kLow = 1, kMedium = 2, kHigh = 3 };

struct Alarm {
  // Stable while the condition lasts ("HR HIGH"): what acknowledging names.
  std::string id;
  // As shown, with the priority's prefix and the value against its limit
  // ("***HR 182>160").
  std::string text;
  AlarmPriority priority = AlarmPriority::kLow;
  // The Vitals field it is about, empty for technical alarms.
  std::string field;
  bool technical = false;
};

// "***", "**" or "*" (reference monitor.md §1a).
const char* PriorityPrefix(AlarmPriority priority);

// The alarms of `vitals` for a patient with `sensors` attached and `lost`
// (attached earlier, off now), highest priority first.
std::vector<Alarm> EvaluateAlarms(const v1::Vitals& vitals,
                                  const google::protobuf::RepeatedPtrField<v1::VitalRange>& limits,
                                  const std::set<v1::MonitorSensor>& sensors,
                                  const std::set<v1::MonitorSensor>& lost);

}  // namespace pedisim::monitor

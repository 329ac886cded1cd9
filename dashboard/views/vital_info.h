// One table of the numeric vitals the dashboard shows: Vitals field name,
// label, unit, monitor colour, and how to read and set the value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "pedisim/v1/vitals.pb.h"

namespace pedisim::dashboard {

struct VitalInfo {
  const char* field;  // Vitals field name ("heart_rate_bpm")
  const char* label;  // "HR"
  const char* unit;   // "bpm"
  uint32_t color;     // ImU32
  int decimals;
  double low;  // a sensible range for inputs and trend plots
  double high;
};

std::span<const VitalInfo> AllVitals();
const VitalInfo* FindVital(const std::string& field);

std::optional<double> GetVital(const v1::Vitals& vitals, const std::string& field);
void SetVital(v1::Vitals& vitals, const std::string& field, double value);

// "1:05", "12:30", "1:02:03" for simulated seconds.
std::string ClockText(double seconds);
std::string RhythmName(v1::Rhythm rhythm);

}  // namespace pedisim::dashboard

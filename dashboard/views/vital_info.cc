#include "views/vital_info.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>

#include <cmath>

#include "views/theme.h"

namespace pedisim::dashboard {
namespace {

constexpr VitalInfo kVitals[] = {
    {"heart_rate_bpm", "HR", "bpm", colors::kHeartRate, 0, 0, 300},
    {"spo2_pct", "SpO2", "%", colors::kSpo2, 0, 0, 100},
    {"nibp_systolic_mmhg", "NIBP sys", "mmHg", colors::kBloodPressure, 0, 0, 250},
    {"nibp_diastolic_mmhg", "NIBP dia", "mmHg", colors::kBloodPressure, 0, 0, 200},
    {"nibp_mean_mmhg", "NIBP mean", "mmHg", colors::kBloodPressure, 0, 0, 220},
    {"etco2_mmhg", "EtCO2", "mmHg", colors::kCo2, 0, 0, 150},
    {"respiratory_rate_bpm", "RR", "/min", colors::kRespiration, 0, 0, 120},
    {"temperature_c", "Temp",
     "\xC2\xB0"
     "C",
     colors::kTemperature, 1, 25, 45},
};

// Vitals has only optional doubles besides the rhythm, so reflection reads
// and writes any of them by name.
const google::protobuf::FieldDescriptor* Field(const std::string& name) {
  const auto* field = v1::Vitals::descriptor()->FindFieldByName(name);
  if (!field || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE) {
    return nullptr;
  }
  return field;
}

}  // namespace

std::span<const VitalInfo> AllVitals() { return kVitals; }

const VitalInfo* FindVital(const std::string& field) {
  for (const VitalInfo& info : kVitals) {
    if (field == info.field) return &info;
  }
  return nullptr;
}

std::optional<double> GetVital(const v1::Vitals& vitals, const std::string& name) {
  const auto* field = Field(name);
  if (!field || !vitals.GetReflection()->HasField(vitals, field)) return std::nullopt;
  return vitals.GetReflection()->GetDouble(vitals, field);
}

void SetVital(v1::Vitals& vitals, const std::string& name, double value) {
  if (const auto* field = Field(name)) vitals.GetReflection()->SetDouble(&vitals, field, value);
}

std::string ClockText(double seconds) {
  const auto total = static_cast<long>(std::floor(std::max(0.0, seconds)));
  if (total >= 3600) {
    return fmt::format("{}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60);
  }
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

std::string RhythmName(v1::Rhythm rhythm) {
  if (rhythm == v1::RHYTHM_UNSPECIFIED) return "";
  std::string name = v1::Rhythm_Name(rhythm).substr(sizeof("RHYTHM_") - 1);
  for (char& c : name) c = c == '_' ? ' ' : static_cast<char>(std::tolower(c));
  return name;
}

}  // namespace pedisim::dashboard

#include "views/vital_info.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>

#include <cmath>
#include <vector>

#include "core/vitals/vital_table.h"
#include "views/theme.h"

namespace pedisim::dashboard {
namespace {

// The dashboard's view of the vitals table: every vital it lists, with its
// monitor colour as ImGui wants it.
std::vector<VitalInfo> FromTable() {
  std::vector<VitalInfo> infos;
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    const uint32_t rgb = field.monitor_rgb;
    infos.push_back({.field = field.name.data(),
                     .label = field.label.data(),
                     .unit = field.unit.data(),
                     .color = IM_COL32((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, 255),
                     .decimals = field.decimals,
                     .low = field.chart.low,
                     .high = field.chart.high});
  }
  return infos;
}

const std::vector<VitalInfo>& Vitals() {
  static const std::vector<VitalInfo> infos = FromTable();
  return infos;
}

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

std::span<const VitalInfo> AllVitals() { return Vitals(); }

const VitalInfo* FindVital(const std::string& field) {
  for (const VitalInfo& info : Vitals()) {
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

#include "core/vitals/vital_table.h"

#include <fmt/format.h>

#include "core/text/enum_names.h"

namespace pedisim::vitals {

const VitalField* FindVitalField(std::string_view name) {
  const std::optional<int> index = VitalFieldIndex(name);
  return index ? &kVitalTable[*index] : nullptr;
}

std::string VitalFieldNames() {
  std::string names;
  for (const VitalField& field : kVitalTable) {
    if (!names.empty()) names += ", ";
    names += field.name;
  }
  return names;
}

std::optional<double> ValueOf(const v1::Vitals& vitals, const VitalField& field) {
  if (!(vitals.*field.has)()) return std::nullopt;
  return (vitals.*field.get)();
}

std::string FormatValue(const VitalField& field, double value) {
  return fmt::format("{:.{}f}", value, field.decimals);
}

std::string RhythmName(v1::Rhythm rhythm) { return text::ShortEnumName(rhythm); }

}  // namespace pedisim::vitals

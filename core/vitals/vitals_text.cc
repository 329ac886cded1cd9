#include "core/vitals/vitals_text.h"

#include <vector>

#include "core/text/enum_names.h"
#include "core/vitals/vital_table.h"

namespace pedisim::vitals {
namespace {

struct Part {
  std::string_view label;
  std::string_view unit;
  std::string values;
  bool any_set = false;
};

}  // namespace

std::string FormatVitalsLine(const v1::Vitals& vitals,
                             const std::function<bool(std::string_view)>& marked) {
  auto mark = [&](std::string_view name) { return marked && marked(name) ? "*" : ""; };
  std::vector<Part> parts;
  for (const VitalField& field : VitalFields()) {
    const bool grouped = !field.group.empty();
    if (!grouped || parts.empty() || parts.back().label != field.group) {
      parts.push_back(
          {.label = grouped ? field.group : field.label, .unit = field.unit, .values = ""});
    }
    Part& part = parts.back();
    const std::optional<double> value = ValueOf(vitals, field);
    part.any_set = part.any_set || value.has_value();
    const std::string shown = value ? FormatValue(field, *value) + mark(field.name) : "-";
    if (field.in_parentheses) {
      if (value) part.values += " (" + shown + ")";
    } else {
      if (!part.values.empty()) part.values += "/";
      part.values += shown;
    }
  }
  std::string line;
  for (const Part& part : parts) {
    if (!part.any_set) continue;
    if (!line.empty()) line += "  ";
    line += std::string(part.label) + " " + part.values + " " + std::string(part.unit);
  }
  if (vitals.has_rhythm()) {
    if (!line.empty()) line += "  ";
    line += "rhythm " + text::ShortEnumName(vitals.rhythm()) + mark("rhythm");
  }
  return line;
}

}  // namespace pedisim::vitals

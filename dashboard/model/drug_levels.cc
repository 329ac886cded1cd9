#include "model/drug_levels.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/vitals/vital_table.h"

namespace pedisim::dashboard {

std::vector<DrugLevelLine> DrugLevelLines(const v1::VitalsSample& sample) {
  std::vector<DrugLevelLine> lines;
  for (const v1::DrugLevel& level : sample.drug_levels()) {
    DrugLevelLine& line = lines.emplace_back();
    line.drug = level.drug();
    line.level = level.level();
    line.cause_event_id = level.cause_event_id();
    for (const vitals::VitalField& field : vitals::VitalFields()) {
      if (!(level.changes().*field.has)()) continue;
      const double change = (level.changes().*field.get)();
      if (std::abs(change) < 0.5) continue;
      if (!line.changes.empty()) line.changes += "  ";
      line.changes += fmt::format("{} {:+.0f}", field.label, change);
    }
  }
  std::stable_sort(lines.begin(), lines.end(), [](const DrugLevelLine& a, const DrugLevelLine& b) {
    return a.level > b.level;
  });
  return lines;
}

}  // namespace pedisim::dashboard

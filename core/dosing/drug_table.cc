#include "core/dosing/drug_table.h"

#include <algorithm>

#include "core/text/words.h"

namespace pedisim::dosing {
namespace {

bool RouteFits(const v1::DoseRule& rule, std::string_view route) {
  if (rule.routes().empty()) return true;
  return std::any_of(rule.routes().begin(), rule.routes().end(),
                     [&](const std::string& listed) { return text::SameWord(listed, route); });
}

bool AgeFits(const v1::DoseRule& rule, double age_years) {
  const v1::Range& ages = rule.age_years();
  return (!ages.has_min() || age_years >= ages.min()) &&
         (!ages.has_max() || age_years < ages.max());
}

}  // namespace

const v1::DrugEntry* FindDrug(const v1::GuidelineSet& set, std::string_view drug) {
  for (const v1::DrugEntry& entry : set.drugs()) {
    if (text::SameWord(entry.drug(), drug)) return &entry;
    for (const std::string& alias : entry.aliases()) {
      if (text::SameWord(alias, drug)) return &entry;
    }
  }
  return nullptr;
}

const v1::DoseRule* FindDoseRule(const v1::DrugEntry& entry, std::string_view route,
                                 double age_years) {
  for (const v1::DoseRule& rule : entry.doses()) {
    if (RouteFits(rule, route) && AgeFits(rule, age_years)) return &rule;
  }
  return nullptr;
}

}  // namespace pedisim::dosing

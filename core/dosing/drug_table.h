#pragma once

#include <string_view>

#include "pedisim/v1/guidelines.pb.h"

// Looking doses up in a guideline set's drug table.
namespace pedisim::dosing {

// The drug table entry whose name or alias is `drug` (case-insensitive).
const v1::DrugEntry* FindDrug(const v1::GuidelineSet& set, std::string_view drug);

// The first dose rule of `entry` whose routes list `route` (or that lists
// none) and whose age range holds `age_years`; null when none does.
const v1::DoseRule* FindDoseRule(const v1::DrugEntry& entry, std::string_view route,
                                 double age_years);

}  // namespace pedisim::dosing

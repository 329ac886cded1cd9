#pragma once

#include <optional>
#include <string_view>

#include "pedisim/v1/vitals.pb.h"

namespace pedisim::vitals {

// The PALS age band of a child this old: normal ranges (which flag abnormal
// vitals and let the linter question surprising values) and the default
// alarm limits of the patient monitor, from the vitals table (vital_table.h,
// which cites the sources).
v1::AgeBand AgeBandFor(double age_years);

// The range of `vital` in `ranges` (normal or alarm_limits), if listed.
std::optional<v1::VitalRange> RangeOf(
    const google::protobuf::RepeatedPtrField<v1::VitalRange>& ranges, std::string_view vital);

// Where the normal range of `vital` comes from, for messages that quote it:
// "PALS, clinical.md §1a". Empty for a vital without a normal range.
std::string_view NormalRangeSource(std::string_view vital);

// Every numeric vital at the middle of the band's normal range, rhythm sinus:
// the value of any parameter a scenario's initial state leaves unset.
v1::Vitals NormalVitals(const v1::AgeBand& band);

}  // namespace pedisim::vitals

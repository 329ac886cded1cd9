#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "pedisim/v1/vitals.pb.h"

namespace pedisim::vitals {

// The vitals set in `vitals` as one line, in table order, each with its label,
// decimals and unit, a group's members together ("HR 148 bpm  SpO2 91 %
// NIBP 92/58 (69) mmHg  T 38.4 °C"), then the rhythm. A value for which
// `marked` (given the field name, or "rhythm") is true ends in '*'
// (an instructor's override, say).
std::string FormatVitalsLine(const v1::Vitals& vitals,
                             const std::function<bool(std::string_view)>& marked = {});

}  // namespace pedisim::vitals

#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pedisim/v1/scenario.pb.h"

namespace pedisim::assessment {

// A moment windows are measured from, and when it came. The assessor opens
// moments; judges read the one their item's window is measured from.
struct MomentState {
  v1::Moment moment;
  std::optional<double> opened_s;
  // The event that opened it (a state change); 0 for scenario start and
  // vital crossings, which no event marks.
  uint64_t cause_event_id = 0;
  std::string description;
  // While a vital-crossing moment is awaited: since when the vital has been
  // across its threshold.
  std::optional<double> crossing_since_s;
};

}  // namespace pedisim::assessment

#pragma once

#include <vector>

#include "pedisim/v1/actions.pb.h"

namespace pedisim::devices {

struct TimedAction {
  double at_s;
  v1::LearnerAction action;
};

// An action script as a manikin reports it: every compression run expanded
// into single compressions (and breaths at their own rate), all in time
// order. Shared by the in-process manikin and pedisim-device.
std::vector<TimedAction> ExpandActionScript(const v1::ActionScript& script);

}  // namespace pedisim::devices

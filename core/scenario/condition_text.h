#pragma once

#include <string>

#include "pedisim/v1/scenario.pb.h"

namespace pedisim::scenario {

// A condition (conditions.proto) as a scenario graph or timeline shows it
// before it holds: its label when it has one, else its parts
// ("fluid-total >= 40 and ceftriaxone given").
std::string DescribeCondition(const v1::Condition& condition);

}  // namespace pedisim::scenario

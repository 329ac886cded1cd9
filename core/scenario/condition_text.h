#pragma once

#include <string>

#include "pedisim/v1/scenario.pb.h"

namespace pedisim::scenario {

// What an action condition waits for, in a word or two: the drug
// ("ceftriaxone"), the test ("blood_gas"), the sensor
// ("sensor_attached capnography"), else the kind ("fluid_bolus").
std::string ActionTriggerName(const v1::ActionTrigger& trigger);

// A condition (conditions.proto) as a scenario graph or timeline shows it
// before it holds: its label when it has one, else its parts
// ("fluid-total >= 40 and ceftriaxone given").
std::string DescribeCondition(const v1::Condition& condition);

}  // namespace pedisim::scenario

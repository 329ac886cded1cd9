#pragma once

#include "pedisim/v1/device.pb.h"

namespace pedisim::devices {

// What PediSim's own virtual devices can do, in-process or over the network.
// A monitor shows every vital and waveform; a manikin senses every learner
// action with its measures and shows every finding.
v1::DeviceCapabilities MonitorCapabilities();
v1::DeviceCapabilities ManikinCapabilities();

}  // namespace pedisim::devices

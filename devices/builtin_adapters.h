#pragma once

#include "devices/registry.h"

namespace pedisim::devices {

// Registers every adapter that ships with PediSim.
void RegisterBuiltinAdapters(AdapterRegistry& registry);

}  // namespace pedisim::devices

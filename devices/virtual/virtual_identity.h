#pragma once

#include <string>

#include "pedisim/v1/device.pb.h"

namespace pedisim::devices {

// How PediSim's own in-process devices introduce themselves.
inline v1::DeviceIdentity VirtualIdentity(const std::string& model, const std::string& serial) {
  v1::DeviceIdentity identity;
  identity.set_manufacturer("PediSim");
  identity.set_model(model);
  identity.set_serial(serial);
  identity.set_firmware_version("1");
  return identity;
}

}  // namespace pedisim::devices

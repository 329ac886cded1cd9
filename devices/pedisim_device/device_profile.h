#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pedisim/v1/device_service.pb.h"

namespace pedisim::device_app {

struct DeviceProfile {
  std::string role;                    // monitor, manikin or both
  std::string name;                    // empty: the role
  std::string serial;                  // empty: host name and process id
  std::vector<std::string> waveforms;  // short names: ecg_ii, pleth, ...
  bool senses_script = false;
};

// The hello pedisim-device sends (without the session to join); nullopt
// with `*error` set for a bad waveform name.
std::optional<v1::DeviceHello> MakeHello(const DeviceProfile& profile, std::string* error);

}  // namespace pedisim::device_app

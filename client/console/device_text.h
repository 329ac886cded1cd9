// How a terminal client shows a session's devices.
#pragma once

#include <string>

#include "pedisim/v1/device.pb.h"

namespace pedisim::console {

// "manikin  network/grpc  connected  latency 0.4 ms, seen 0.2 s ago  12 observations"
std::string FormatDevice(const v1::Device& device);

}  // namespace pedisim::console

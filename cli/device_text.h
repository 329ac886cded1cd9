// How pedisimctl shows a session's devices.
#ifndef PEDISIM_CLI_DEVICE_TEXT_H_
#define PEDISIM_CLI_DEVICE_TEXT_H_

#include <string>

#include "pedisim/v1/device.pb.h"

namespace pedisim::cli {

// "manikin  network/grpc  connected  latency 0.4 ms, seen 0.2 s ago  12 observations"
std::string FormatDevice(const v1::Device& device);

}  // namespace pedisim::cli

#endif  // PEDISIM_CLI_DEVICE_TEXT_H_

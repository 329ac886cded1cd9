#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "devices/adapter.h"
#include "devices/hl7/oru_message.h"

namespace pedisim::devices::hl7 {

// The hl7-mllp adapter's settings, checked; see docs/devices.md.
struct MllpConfig {
  std::string host;
  uint16_t port = 0;
  std::chrono::milliseconds interval{5000};
  std::chrono::milliseconds ack_timeout{10000};
  MessageHeader header;
};

// Reads and checks an AdapterConfig: "port" is required; every number must be
// a number within its bounds. Throws AdapterConfigError naming the key.
MllpConfig ParseMllpConfig(const AdapterConfig& config);

}  // namespace pedisim::devices::hl7

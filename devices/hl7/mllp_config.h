#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
  PatientMarking marking;
};

// Reads and checks an AdapterConfig: "port" is required; every number must be
// a number within its bounds; processing_id is P, T or D; patient_class a
// code of HL7 table 0004; location at most point of care^room^bed;
// device_id an EUI-64 (16 hex digits). Throws AdapterConfigError naming the
// key. Without device_id the EUI-64 is made from host and port (a locally
// administered one, the same for the same receiver).
MllpConfig ParseMllpConfig(const AdapterConfig& config);

// "0123456789ABCDEF" from 16 hex digits in either case; nullopt otherwise.
std::optional<std::string> ParseEui64(std::string_view text);

}  // namespace pedisim::devices::hl7

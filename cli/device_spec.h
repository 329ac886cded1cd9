// The compact command-line syntax of `session create` for devices and
// participants.
#pragma once

#include <string>
#include <string_view>

#include "pedisim/v1/device.pb.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::cli {

// Adapter that replays a learner script; --learner-script attaches it.
inline constexpr char kVirtualManikinAdapter[] = "virtual-manikin";

// Parses "ADAPTER[:NAME][,KEY=VALUE...]", e.g.
// "virtual-monitor:monitor-2,rate_hz=2". Returns an error message, or an
// empty string once `device` is filled in.
std::string ParseDeviceSpec(std::string_view spec, v1::DeviceAttachment* device);

// Parses "NAME[:ROLE]", e.g. "Alice:team leader".
std::string ParseParticipantSpec(std::string_view spec, v1::Participant* participant);

// Gives the script to the request's first virtual manikin, attaching one
// named "manikin" when the request has none.
void AttachLearnerScript(const std::string& script_name, const std::string& script,
                         v1::CreateSessionRequest* request);

}  // namespace pedisim::cli

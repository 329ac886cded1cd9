#pragma once

#include <grpcpp/support/status.h>

#include "pedisim/v1/device_service.pb.h"

namespace pedisim::device_gateway {

// Checks of what a device sends that need no session: each failure is
// INVALID_ARGUMENT with a message starting with the field at fault.
grpc::Status CheckHello(const v1::DeviceHello& hello);
// A message after the hello: a heartbeat or a well-formed observation.
grpc::Status CheckFollowUp(const v1::DeviceMessage& message);

}  // namespace pedisim::device_gateway

#pragma once

#include <grpcpp/support/status.h>

#include "pedisim/v1/device_service.pb.h"

namespace pedisim::checks {

// The device protocol's checks of what a device sends that need no session
// (the controller's gateway applies them to every hello and message): each failure is
// INVALID_ARGUMENT with a message starting with the field at fault.
grpc::Status CheckHello(const v1::DeviceHello& hello);
// A message after the hello: a heartbeat or a well-formed observation.
grpc::Status CheckFollowUp(const v1::DeviceMessage& message);

}  // namespace pedisim::checks

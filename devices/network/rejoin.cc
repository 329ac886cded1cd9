#include "devices/network/rejoin.h"

namespace pedisim::devices {

bool WorthRejoining(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    // Replaced by a newer link of the same device (trying again would push
    // that one out in turn), or cut off after misbehaving.
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::OK:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::DO_NOT_USE:
      return false;
  }
  return false;
}

v1::DeviceHello RejoinHello(v1::DeviceHello first, const v1::DeviceWelcome& welcome) {
  if (!first.has_pairing_code()) first.set_session_id(welcome.session_id());
  first.set_name(welcome.device_name());
  return first;
}

}  // namespace pedisim::devices

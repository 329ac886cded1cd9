#include "controller/services/device_service.h"

#include "controller/auth/caller.h"
#include "controller/services/device_connect_reactor.h"
#include "controller/services/refusal_reactor.h"

namespace pedisim::services {

grpc::ServerBidiReactor<v1::DeviceMessage, v1::ControllerMessage>* DeviceServiceImpl::Connect(
    grpc::CallbackServerContext* context) {
  if (grpc::Status admitted = auth::AdmissionOf(*context); !admitted.ok()) {
    return new BidiRefusalReactor<v1::DeviceMessage, v1::ControllerMessage>(admitted);
  }
  return new ConnectReactor(gateway_, context, auth::CallerOf(*context));
}

}  // namespace pedisim::services

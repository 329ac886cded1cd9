#include "controller/services/device_service.h"

#include "controller/services/device_connect_reactor.h"

namespace pedisim::services {

grpc::ServerBidiReactor<v1::DeviceMessage, v1::ControllerMessage>* DeviceServiceImpl::Connect(
    grpc::CallbackServerContext* context) {
  return new ConnectReactor(gateway_, context->peer());
}

}  // namespace pedisim::services

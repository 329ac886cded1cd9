#pragma once

#include "controller/device_gateway/device_gateway.h"
#include "pedisim/v1/device_service.grpc.pb.h"

namespace pedisim::services {

// DeviceService: each Connect stream is a ConnectReactor over the gateway.
class DeviceServiceImpl final : public v1::DeviceService::CallbackService {
 public:
  explicit DeviceServiceImpl(device_gateway::DeviceGateway& gateway) : gateway_(gateway) {}

  grpc::ServerBidiReactor<v1::DeviceMessage, v1::ControllerMessage>* Connect(
      grpc::CallbackServerContext* context) override;

 private:
  device_gateway::DeviceGateway& gateway_;
};

}  // namespace pedisim::services

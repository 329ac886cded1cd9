#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <mutex>
#include <string>

#include "controller/device_gateway/device_link.h"
#include "pedisim/v1/device_service.pb.h"

namespace pedisim::services {

// One DeviceService.Connect stream: reads the device's messages into its
// DeviceLink and writes whatever the link's channel has queued, one message
// at a time. Ends the stream with the status the link or channel closed
// with. Deletes itself when gRPC is done with it.
class ConnectReactor : public grpc::ServerBidiReactor<v1::DeviceMessage, v1::ControllerMessage> {
 public:
  ConnectReactor(device_gateway::DeviceGateway& gateway, grpc::CallbackServerContext* context,
                 auth::Caller caller);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  // Starts the next write, or finishes once the channel is closed and, for
  // an orderly close, drained.
  void Pump();
  void PumpLocked();
  // Whether the device has taken nothing for kStoppedReading while
  // messages waited for it.
  static bool StoppedReading(const device_gateway::DeviceChannel& channel);
  static constexpr std::chrono::seconds kStoppedReading{1};
  void FinishLocked(const grpc::Status& status);

  grpc::CallbackServerContext* const context_;
  device_gateway::DeviceLink link_;
  v1::DeviceMessage incoming_;

  std::mutex mu_;
  v1::ControllerMessage outgoing_;
  bool writing_ = false;
  bool finished_ = false;
  bool cancelled_ = false;
};

}  // namespace pedisim::services

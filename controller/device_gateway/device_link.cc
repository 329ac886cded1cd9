#include "controller/device_gateway/device_link.h"

#include <spdlog/spdlog.h>

#include "controller/device_gateway/hello_checks.h"

namespace pedisim::device_gateway {

DeviceLink::DeviceLink(DeviceGateway& gateway, std::string transport, std::string peer)
    : gateway_(gateway), transport_(std::move(transport)), peer_(std::move(peer)) {}

DeviceLink::~DeviceLink() {
  // However the transport ended, the session must hear that the link is gone.
  if (channel_) {
    channel_->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection closed"));
  }
}

grpc::Status DeviceLink::OnMessage(const v1::DeviceMessage& message) {
  grpc::Status status;
  if (!channel_) {
    if (!message.has_hello()) {
      status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "hello: the first message must be a hello");
    } else {
      status = gateway_.Join(message.hello(), transport_, &channel_);
      if (status.ok()) device_name_ = message.hello().name();
    }
  } else {
    status = CheckFollowUp(message);
    if (status.ok()) channel_->Receive(message);
  }
  if (!status.ok()) Fail(status);
  return status;
}

void DeviceLink::SignOff() {
  if (channel_) channel_->Close(grpc::Status::OK);
}

void DeviceLink::Fail(const grpc::Status& why) {
  // Once joined, the gateway logs the end with the session it concerns.
  if (channel_) {
    channel_->Close(why);
  } else {
    spdlog::warn("device {} from {} refused: {}", transport_, peer_, why.error_message());
  }
}

}  // namespace pedisim::device_gateway

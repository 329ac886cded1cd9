#include "controller/device_gateway/device_link.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "controller/auth/revocation.h"
#include "core/checks/device_message_checks.h"

namespace pedisim::device_gateway {

namespace {

// What a device may do is what DeviceService.Connect allows, on any transport.
constexpr std::string_view kConnectMethod = "/pedisim.v1.DeviceService/Connect";

}  // namespace

DeviceLink::DeviceLink(DeviceGateway& gateway, std::string transport, std::string peer,
                       auth::Caller caller)
    : gateway_(gateway),
      transport_(std::move(transport)),
      peer_(std::move(peer)),
      caller_(std::move(caller)),
      rate_(gateway.limits().device_message_rate, gateway.limits().device_message_burst) {}

DeviceLink::DeviceLink(DeviceGateway& gateway, std::string transport, std::string peer,
                       auth::Authenticator& authenticator)
    : gateway_(gateway),
      transport_(std::move(transport)),
      peer_(std::move(peer)),
      authenticator_(&authenticator),
      rate_(gateway.limits().device_message_rate, gateway.limits().device_message_burst) {}

DeviceLink::~DeviceLink() {
  // However the transport ended, the session must hear that the link is gone.
  if (channel_) {
    channel_->Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection closed"));
    gateway_.LinkEnded();
  }
}

grpc::Status DeviceLink::OnMessage(const v1::DeviceMessage& message) {
  grpc::Status status;
  if (!channel_) {
    if (!message.has_hello()) {
      status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "hello: the first message must be a hello");
    } else {
      // The token proves who the device is; it goes no further than here
      // (not into the session, its record or any log).
      v1::DeviceHello hello = message.hello();
      hello.clear_token();
      if (!caller_ && authenticator_ != nullptr) {
        auth::Admission admission =
            authenticator_->AdmitToken(peer_, kConnectMethod, message.hello().token(),
                                       client_certificate_ ? &*client_certificate_ : nullptr);
        status = admission.status;
        caller_ = std::move(admission.caller);
      }
      if (status.ok() && !caller_) {
        status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "hello.token: required");
      }
      if (status.ok()) {
        status = gateway_.Join(hello, *caller_, transport_, &channel_);
        // Six digits are few: wrong codes are counted like wrong tokens, so
        // a device account cannot try them all to join someone's session.
        if (status.error_code() == grpc::StatusCode::NOT_FOUND && hello.has_pairing_code()) {
          gateway_.PairingCodeMissed(peer_, caller_->name);
        }
      }
      if (status.ok()) device_name_ = hello.name();
    }
  } else if (!auth::StillValid(*caller_, &credential_checked_)) {
    status = auth::RevokedStatus();
  } else if (!rate_.Take(limits::TokenBucket::Clock::now())) {
    gateway_.Hit(limits::Limit::kDeviceMessageRate);
    const limits::LimitSettings& settings = gateway_.limits();
    status = grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        fmt::format("message rate: over {} messages a second (bursts of {}) from this device "
                    "(--device-message-rate, --device-message-burst)",
                    settings.device_message_rate, settings.device_message_burst));
  } else {
    status = checks::CheckFollowUp(message);
    if (status.ok()) channel_->Receive(message);
  }
  if (!status.ok()) Fail(status);
  return status;
}

void DeviceLink::SignOff() {
  if (!channel_) return;
  channel_->Close(grpc::Status::OK);
  gateway_.LinkEnded();
}

void DeviceLink::Fail(const grpc::Status& why) {
  // Once joined, the gateway logs the end with the session it concerns.
  if (channel_) {
    channel_->Close(why);
    gateway_.LinkEnded();
  } else {
    spdlog::warn("device {} from {} refused: {}", transport_, peer_, why.error_message());
  }
}

}  // namespace pedisim::device_gateway

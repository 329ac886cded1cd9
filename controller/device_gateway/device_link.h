#pragma once

#include <grpcpp/support/status.h>

#include <memory>
#include <optional>
#include <string>

#include "controller/auth/authenticator.h"
#include "controller/device_gateway/device_channel.h"
#include "controller/device_gateway/device_gateway.h"
#include "controller/limits/token_bucket.h"
#include "pedisim/v1/device_service.pb.h"

namespace pedisim::device_gateway {

// One device connection as the protocol sees it, whatever carries it: the
// hello first (joining a session through the gateway), then heartbeats and
// observations into the channel. A transport feeds it each message it
// decodes and ends the connection with the status it returns when that is
// not OK; that status names what was wrong, and is logged.
class DeviceLink {
 public:
  // A link whose caller the transport authenticated already (gRPC metadata,
  // checked by the interceptor).
  DeviceLink(DeviceGateway& gateway, std::string transport, std::string peer, auth::Caller caller);
  // A link that authenticates the token of the device's hello (plain TCP,
  // which has no metadata).
  DeviceLink(DeviceGateway& gateway, std::string transport, std::string peer,
             auth::Authenticator& authenticator);
  ~DeviceLink();
  DeviceLink(const DeviceLink&) = delete;
  DeviceLink& operator=(const DeviceLink&) = delete;

  // The client certificate the TLS handshake verified (TCP): the hello is
  // authenticated with it, and its token, if any, must name the same user.
  void SetClientCertificate(auth::ClientCertificate certificate) {
    client_certificate_ = std::move(certificate);
  }

  // A device sending faster than --device-message-rate allows (beyond its
  // burst) gets RESOURCE_EXHAUSTED and is disconnected: dropping its excess
  // instead would lose observations (chest compressions, drugs) without
  // anyone knowing, while a disconnection is logged in the session, shown
  // on the dashboard, and the device can reconnect and slow down.
  grpc::Status OnMessage(const v1::DeviceMessage& message);

  // The transport could not go on (peer gone, bad frame): closes the channel
  // with `why` so the session hears of it, and logs it.
  void Fail(const grpc::Status& why);

  // The device ended its side in good order (a gRPC half-close, a TCP
  // shutdown): what is queued for it is still sent, then the link ends OK.
  void SignOff();

  // Null until the hello was accepted.
  const std::shared_ptr<device_gateway::DeviceChannel>& channel() const { return channel_; }
  const std::string& peer() const { return peer_; }

 private:
  DeviceGateway& gateway_;
  const std::string transport_;
  const std::string peer_;
  std::optional<auth::Caller> caller_;
  // Every message after the hello re-checks the credential (cheaply): a
  // device whose token is revoked is cut off at its next heartbeat.
  uint64_t credential_checked_ = 0;
  auth::Authenticator* const authenticator_ = nullptr;
  std::optional<auth::ClientCertificate> client_certificate_;
  std::string device_name_;
  std::shared_ptr<device_gateway::DeviceChannel> channel_;
  // --device-message-rate and --device-message-burst.
  limits::TokenBucket rate_;
};

}  // namespace pedisim::device_gateway

#include "devices/network/device_client.h"

#include <google/protobuf/util/time_util.h>

#include "client/controller_channel.h"
#include "client/network_address.h"
#include "core/wall_clock.h"
#include "devices/network/device_client_transports.h"

namespace pedisim::devices {

std::unique_ptr<DeviceClient> DeviceClient::Connect(const Options& options, grpc::Status* status) {
  std::unique_ptr<DeviceClient> client;
  if (options.ca_file.empty() && options.tls_fingerprint.empty()) {
    const std::string refusal = client::PlaintextRefusal(options.address, options.allow_plaintext);
    if (!refusal.empty()) {
      *status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "address: " + refusal);
      return nullptr;
    }
  }
  const client::ConnectionOptions connection{.token = options.token,
                                             .ca_file = options.ca_file,
                                             .fingerprint = options.tls_fingerprint,
                                             .allow_plaintext = options.allow_plaintext,
                                             .certificate_file = options.certificate_file,
                                             .key_file = options.key_file};
  if (options.transport == Transport::kGrpc) {
    try {
      client =
          std::make_unique<GrpcDeviceClient>(options.address, connection, options.connect_timeout);
    } catch (const std::runtime_error& error) {  // an unreadable CA, certificate or key file
      *status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, error.what());
      return nullptr;
    }
  } else {
    auto tcp = std::make_unique<TcpDeviceClient>();
    if (grpc::Status connected = tcp->Open(options.address, connection, options.connect_timeout);
        !connected.ok()) {
      *status = connected;
      return nullptr;
    }
    client = std::move(tcp);
  }
  if (!client->Start(options, status)) return nullptr;
  return client;
}

DeviceClient::~DeviceClient() = default;

bool DeviceClient::Start(const Options& options, grpc::Status* status) {
  v1::DeviceMessage hello;
  *hello.mutable_hello() = options.hello;
  // TCP has no metadata: the token travels in the hello.
  if (options.transport == Transport::kTcp) hello.mutable_hello()->set_token(options.token);
  v1::ControllerMessage first;
  if (!WriteMessage(hello) || !ReadMessage(&first)) {
    *status = TransportStatus();
    if (status->ok()) *status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "no welcome");
    std::lock_guard lock(status_mu_);
    final_status_ = *status;
    return false;
  }
  if (!first.has_welcome()) {
    *status = grpc::Status(grpc::StatusCode::INTERNAL,
                           "the controller's first message is not "
                           "a welcome");
    return false;
  }
  welcome_ = first.welcome();
  if (options.send_heartbeats) {
    const auto interval = std::chrono::milliseconds(
        welcome_.heartbeat_interval_ms() > 0 ? welcome_.heartbeat_interval_ms() : 1000);
    heartbeats_ = std::thread([this, interval] { RunHeartbeats(interval); });
  }
  *status = grpc::Status::OK;
  return true;
}

bool DeviceClient::Next(v1::ControllerMessage* message) {
  if (ReadMessage(message)) {
    if (message->has_heartbeat()) {
      std::lock_guard lock(heartbeat_mu_);
      controller_heartbeat_ = message->heartbeat();
      controller_heartbeat_received_at_ = NowTimestamp();
    }
    return true;
  }
  std::lock_guard lock(status_mu_);
  if (!final_status_) final_status_ = TransportStatus();
  return false;
}

grpc::Status DeviceClient::final_status() const {
  std::lock_guard lock(status_mu_);
  return final_status_.value_or(grpc::Status(grpc::StatusCode::UNKNOWN, "the link has not ended"));
}

bool DeviceClient::Send(const v1::DeviceMessage& message) {
  std::lock_guard lock(write_mu_);
  if (write_closed_) return false;
  if (!WriteMessage(message)) {
    write_closed_ = true;
    return false;
  }
  return true;
}

bool DeviceClient::SendObservation(const v1::LearnerAction& action) {
  v1::DeviceMessage message;
  *message.mutable_observation()->mutable_action() = action;
  *message.mutable_observation()->mutable_sensed_at() = NowTimestamp();
  return Send(message);
}

v1::Heartbeat DeviceClient::NextHeartbeatLocked() {
  v1::Heartbeat heartbeat;
  heartbeat.set_sequence(next_sequence_++);
  *heartbeat.mutable_sent_at() = NowTimestamp();
  if (controller_heartbeat_) {
    heartbeat.set_echo_sequence(controller_heartbeat_->sequence());
    *heartbeat.mutable_echo_sent_at() = controller_heartbeat_->sent_at();
    *heartbeat.mutable_echo_received_at() = controller_heartbeat_received_at_;
  }
  return heartbeat;
}

void DeviceClient::RunHeartbeats(std::chrono::milliseconds interval) {
  std::unique_lock lock(heartbeat_mu_);
  while (!stopping_) {
    v1::DeviceMessage message;
    *message.mutable_heartbeat() = NextHeartbeatLocked();
    lock.unlock();
    const bool sent = Send(message);
    lock.lock();
    if (!sent) return;
    heartbeat_wake_.wait_for(lock, interval, [this] { return stopping_; });
  }
}

void DeviceClient::CloseSending() {
  {
    std::lock_guard lock(heartbeat_mu_);
    stopping_ = true;
  }
  heartbeat_wake_.notify_all();
  if (heartbeats_.joinable()) heartbeats_.join();
  std::lock_guard lock(write_mu_);
  if (!write_closed_) HalfClose();
  write_closed_ = true;
}

void DeviceClient::Shutdown() {
  {
    std::lock_guard lock(heartbeat_mu_);
    stopping_ = true;
  }
  heartbeat_wake_.notify_all();
  if (heartbeats_.joinable()) heartbeats_.join();
  std::lock_guard lock(status_mu_);
  if (!final_status_) Abort();
}

}  // namespace pedisim::devices

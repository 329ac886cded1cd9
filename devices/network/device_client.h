#pragma once

#include <grpcpp/support/status.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client/controller_channel.h"
#include "pedisim/v1/device_service.pb.h"

namespace pedisim::devices {

// A network device's side of the device protocol, over gRPC
// (DeviceService.Connect) or plain TCP: says hello, waits for the welcome,
// then keeps heartbeats going on its own thread while the caller reads
// updates and sends observations. Used by pedisim-device, the tests and the
// load benchmarks, so all three speak the protocol the same way.
class DeviceClient {
 public:
  enum class Transport { kGrpc, kTcp };

  struct Options {
    Transport transport = Transport::kGrpc;
    // host:port of the controller's gRPC service or of its device TCP port.
    std::string address;
    v1::DeviceHello hello;
    // Who the device is to the controller: sent as `authorization` metadata
    // over gRPC, in the hello over TCP.
    std::string token;
    // TLS on either transport, trusting this CA file (PEM) or a server
    // certificate with this SHA-256 fingerprint; neither: plain text.
    std::string ca_file;
    std::string tls_fingerprint;
    // Plain text to a controller beyond loopback (refused otherwise, so the
    // token does not cross the network in the clear).
    bool allow_plaintext = false;
    // A client certificate and its key (PEM files) to present over TLS: a
    // device certificate the controller issued stands in for the token.
    std::string certificate_file;
    std::string key_file;
    // Token, TLS trust, plain-text permission and client certificate, as a
    // program's connection flags resolved them (client/connection_flags.h).
    void UseConnection(const client::ConnectionOptions& connection) {
      token = connection.token;
      ca_file = connection.ca_file;
      tls_fingerprint = connection.fingerprint;
      allow_plaintext = connection.allow_plaintext;
      certificate_file = connection.certificate_file;
      key_file = connection.key_file;
    }
    // Off only to test how the controller treats a silent device.
    bool send_heartbeats = true;
    std::chrono::seconds connect_timeout{10};
  };

  // Connects and says hello. On failure returns null and sets `*status`
  // (the controller's refusal, or UNAVAILABLE when it cannot be reached).
  static std::unique_ptr<DeviceClient> Connect(const Options& options, grpc::Status* status);

  virtual ~DeviceClient();

  const v1::DeviceWelcome& welcome() const { return welcome_; }

  // Blocks for the next message from the controller; heartbeats are noted
  // for the echo and returned too. False when the link has ended: then
  // final_status() says how.
  bool Next(v1::ControllerMessage* message);
  grpc::Status final_status() const;

  // Thread-safe. False once the link is down.
  bool Send(const v1::DeviceMessage& message);
  bool SendObservation(const v1::LearnerAction& action);

  // Ends the link from the device's side: stops the heartbeats and tells the
  // controller it will send nothing more. The controller then ends the link;
  // keep calling Next until it returns false.
  void CloseSending();

 protected:
  DeviceClient() = default;

  // The transport: blocking read and write of whole messages, a half-close,
  // how it ended (called once, after a read returned false), and an abrupt
  // end that unblocks a read.
  virtual bool ReadMessage(v1::ControllerMessage* message) = 0;
  virtual bool WriteMessage(const v1::DeviceMessage& message) = 0;
  virtual void HalfClose() = 0;
  virtual grpc::Status TransportStatus() = 0;
  virtual void Abort() = 0;

  // For the transports' destructors: stops the heartbeats, and aborts the
  // link unless it already ended.
  void Shutdown();

 private:
  bool Start(const Options& options, grpc::Status* status);
  void RunHeartbeats(std::chrono::milliseconds interval);
  v1::Heartbeat NextHeartbeatLocked();

  v1::DeviceWelcome welcome_;
  std::mutex write_mu_;
  bool write_closed_ = false;

  std::mutex heartbeat_mu_;
  std::condition_variable heartbeat_wake_;
  bool stopping_ = false;
  uint64_t next_sequence_ = 1;
  std::optional<v1::Heartbeat> controller_heartbeat_;
  google::protobuf::Timestamp controller_heartbeat_received_at_;
  std::thread heartbeats_;

  mutable std::mutex status_mu_;
  std::optional<grpc::Status> final_status_;
  bool shut_down_ = false;
};

}  // namespace pedisim::devices

#pragma once

#include <grpcpp/grpcpp.h>

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "client/controller_channel.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/device_service.grpc.pb.h"

namespace pedisim::devices {

// DeviceService.Connect through gRPC's synchronous client API.
class GrpcDeviceClient : public DeviceClient {
 public:
  GrpcDeviceClient(const std::string& address, const client::ConnectionOptions& connection,
                   std::chrono::seconds connect_timeout);
  ~GrpcDeviceClient() override;

 protected:
  bool ReadMessage(v1::ControllerMessage* message) override;
  bool WriteMessage(const v1::DeviceMessage& message) override;
  void HalfClose() override;
  grpc::Status TransportStatus() override;
  void Abort() override;

 private:
  std::unique_ptr<v1::DeviceService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::DeviceMessage, v1::ControllerMessage>> stream_;
  bool finished_ = false;
  // Set when the controller could not be reached in time: the call was
  // cancelled, and this, not CANCELLED, is how the link ended.
  std::optional<grpc::Status> unreachable_;
};

// The same protocol in length-prefixed frames on a blocking TCP socket.
class TcpDeviceClient : public DeviceClient {
 public:
  TcpDeviceClient();
  ~TcpDeviceClient() override;

  // Connects, over TLS when `tls` says whom to trust (its ca_file or
  // fingerprint), presenting its client certificate if it has one; its
  // token is not used here (it travels in the hello).
  grpc::Status Open(const std::string& address, const client::ConnectionOptions& tls,
                    std::chrono::seconds connect_timeout);

 protected:
  bool ReadMessage(v1::ControllerMessage* message) override;
  bool WriteMessage(const v1::DeviceMessage& message) override;
  void HalfClose() override;
  grpc::Status TransportStatus() override;
  void Abort() override;

 private:
  grpc::Status StartTls(const std::string& host, const client::ConnectionOptions& tls);
  template <typename Buffer>
  void ReadExactly(const Buffer& buffer, std::error_code& error);

  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  asio::ssl::context tls_context_{asio::ssl::context::tls_client};
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
  // The goodbye frame's status, or why the socket ended without one.
  std::optional<grpc::Status> ended_;
  std::string write_buffer_;
};

}  // namespace pedisim::devices

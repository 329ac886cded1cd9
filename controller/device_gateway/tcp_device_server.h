#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "controller/auth/authenticator.h"
#include "controller/device_gateway/device_gateway.h"

namespace pedisim::device_gateway {

class TcpDeviceConnection;

// The TCP transport for devices that cannot run gRPC: the same
// DeviceMessage/ControllerMessage protocol as DeviceService.Connect, framed
// by devices/network/frame_codec.h on a plain socket. One Asio thread serves
// every connection; nothing in it blocks. A connection that sends a bad frame
// (too long, not a DeviceMessage, a second hello...) gets a goodbye frame
// naming the problem and is closed; the others carry on.
class TcpDeviceServer {
 public:
  // Binds host:port (port 0 = any free one); throws std::system_error with
  // the reason when it cannot.
  // Every device authenticates with the token in its hello through
  // `authenticator`; with `tls` (null: plain text) every connection is TLS.
  TcpDeviceServer(DeviceGateway& gateway, auth::Authenticator& authenticator,
                  asio::ssl::context* tls, const std::string& host, uint16_t port);
  ~TcpDeviceServer();
  TcpDeviceServer(const TcpDeviceServer&) = delete;
  TcpDeviceServer& operator=(const TcpDeviceServer&) = delete;

  uint16_t port() const { return port_; }

  // Stops accepting, closes every connection and joins the thread.
  void Stop();

 private:
  void Accept();

  DeviceGateway& gateway_;
  auth::Authenticator& authenticator_;
  asio::ssl::context* const tls_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
  bool stopped_ = false;

  std::mutex connections_mu_;
  std::vector<std::weak_ptr<TcpDeviceConnection>> connections_;
};

}  // namespace pedisim::device_gateway

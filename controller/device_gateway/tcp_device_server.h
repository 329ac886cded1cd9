#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <set>
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
// naming the problem and is closed; the others carry on. Before it joins, a
// connection is bounded in time (--device-hello-ms) and in number per host
// (--max-pending-devices-per-host).
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
  // Serves a connection just accepted, unless its host has too many pending.
  void Admit(asio::ip::tcp::socket socket);
  // Counts the connection from `host` as pending (not joined yet); false
  // when the host already has --max-pending-devices-per-host.
  bool AdmitPending(const std::string& host);

  // Connections per host that have not joined yet. Shared with the
  // connections, which settle theirs when they join or close, possibly
  // after the server is gone.
  struct PendingByHost {
    std::mutex mu;
    std::map<std::string, uint32_t> count;
    std::set<std::string> warned;  // over the limit, logged once until under again
  };
  const std::shared_ptr<PendingByHost> pending_ = std::make_shared<PendingByHost>();

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

#include "controller/device_gateway/tcp_device_server.h"

#include <spdlog/spdlog.h>

#include "controller/device_gateway/tcp_device_connection.h"

namespace pedisim::device_gateway {

TcpDeviceServer::TcpDeviceServer(DeviceGateway& gateway, auth::Authenticator& authenticator,
                                 asio::ssl::context* tls, const std::string& host, uint16_t port)
    : gateway_(gateway), authenticator_(authenticator), tls_(tls), acceptor_(io_) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(host), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

TcpDeviceServer::~TcpDeviceServer() { Stop(); }

void TcpDeviceServer::Accept() {
  acceptor_.async_accept([this](std::error_code error, asio::ip::tcp::socket socket) {
    if (error == asio::error::operation_aborted) return;  // stopping
    if (error) {
      // Out of file descriptors, most likely; keep serving the others.
      spdlog::warn("device TCP server: accept failed: {}", error.message());
    } else {
      Admit(std::move(socket));
    }
    Accept();
  });
}

void TcpDeviceServer::Admit(asio::ip::tcp::socket socket) {
  std::error_code gone;
  const asio::ip::tcp::endpoint peer = socket.remote_endpoint(gone);
  if (gone) return;  // it hung up already
  // Counted as failed authentications are: an IPv6 client by its /64.
  const std::string host = auth::PeerHost(peer.address().to_string() + ":0");
  if (!AdmitPending(host)) return;  // the socket closes here
  auto connection =
      std::make_shared<TcpDeviceConnection>(std::move(socket), gateway_, authenticator_, tls_);
  connection->SetOnSettled([pending = pending_, host] {
    std::lock_guard lock(pending->mu);
    if (--pending->count[host] == 0) pending->count.erase(host);
    pending->warned.erase(host);
  });
  connection->Start();
  std::lock_guard lock(connections_mu_);
  std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
  connections_.push_back(connection);
}

bool TcpDeviceServer::AdmitPending(const std::string& host) {
  const uint32_t limit = gateway_.limits().max_pending_devices_per_host;
  std::lock_guard lock(pending_->mu);
  uint32_t& count = pending_->count[host];
  if (count < limit) {
    ++count;
    return true;
  }
  gateway_.Hit(limits::Limit::kPendingDevicesPerHost);
  if (pending_->warned.insert(host).second) {
    spdlog::warn(
        "device tcp from {}: {} connections from this host have not joined a session yet "
        "(--max-pending-devices-per-host): closing further ones until some join or close",
        host, count);
  }
  return false;
}

void TcpDeviceServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  // On the Asio thread, which owns the connections: stop accepting, detach
  // every connection from its channel (sessions may still push; nothing
  // must reach an io_context that is going away), and let what is queued
  // and the goodbyes go out for a moment before the thread stops.
  asio::post(io_, [this] {
    std::error_code ignored;
    acceptor_.close(ignored);
    std::lock_guard lock(connections_mu_);
    for (const auto& weak : connections_) {
      if (std::shared_ptr<TcpDeviceConnection> connection = weak.lock()) connection->Shutdown();
    }
    auto grace = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(500));
    grace->async_wait([this, grace](std::error_code) { io_.stop(); });
  });
  thread_.join();
}

}  // namespace pedisim::device_gateway

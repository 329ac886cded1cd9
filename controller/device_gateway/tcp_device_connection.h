#pragma once

#include <array>
#include <asio.hpp>
#include <asio/ssl.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "controller/device_gateway/device_link.h"
#include "core/protocol/frame_codec.h"

namespace pedisim::device_gateway {

// One device on the TCP transport. Lives on the server's Asio thread: reads
// frames into its DeviceLink, and writes what the link's channel queues
// (the channel's wakeup posts a pump onto that thread).
class TcpDeviceConnection : public std::enable_shared_from_this<TcpDeviceConnection> {
 public:
  // With `tls` (null: plain text) the device must complete a TLS handshake
  // before its first frame.
  TcpDeviceConnection(asio::ip::tcp::socket socket, DeviceGateway& gateway,
                      auth::Authenticator& authenticator, asio::ssl::context* tls);
  ~TcpDeviceConnection();

  // Called once, on the Asio thread or at destruction, when the connection
  // stops being pending: it joined a session, or it closed.
  void SetOnSettled(std::function<void()> on_settled) { on_settled_ = std::move(on_settled); }
  void Start();
  // On the Asio thread, when the server stops: no wakeup runs after it
  // returns; what is queued and a goodbye still go out while the thread runs.
  void Shutdown();

 private:
  // Reads and writes through TLS when the connection has it.
  template <typename Buffer, typename Handler>
  void AsyncRead(const Buffer& buffer, Handler&& handler);
  template <typename Buffer, typename Handler>
  void AsyncWrite(const Buffer& buffer, Handler&& handler);
  // Closes a connection that has not said hello within --device-hello-ms.
  void StartHelloDeadline();
  void Settle();
  // After the TLS handshake: hands a verified client certificate to the
  // link, which authenticates the hello with it.
  void NoteClientCertificate();
  void ReadHeader();
  void ReadBody(uint32_t length);
  void OnFrame();
  void Pump();
  // Sends a goodbye frame with `status` after what is queued, then closes.
  void SayGoodbye(const grpc::Status& status);
  void SendGoodbye();
  void Close();

  asio::ip::tcp::socket socket_;
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
  DeviceGateway& gateway_;
  DeviceLink link_;
  std::array<uint8_t, protocol::kFrameHeaderBytes> header_{};
  std::string body_;
  std::string write_buffer_;
  bool writing_ = false;
  // Set while a pump is posted and has not started yet (see OnFrame).
  std::atomic<bool> pump_posted_{false};
  std::optional<grpc::Status> goodbye_;  // to send once the queue is out
  bool goodbye_sent_ = false;
  bool shut_down_ = false;
  // Armed when the link fails while a write is in flight: a device that
  // stopped reading must not hold its socket until TCP gives up.
  asio::steady_timer stuck_write_timer_;
  bool stuck_write_timer_armed_ = false;
  bool closed_ = false;
  asio::steady_timer hello_timer_;
  bool handshake_done_ = false;
  std::function<void()> on_settled_;
};

}  // namespace pedisim::device_gateway

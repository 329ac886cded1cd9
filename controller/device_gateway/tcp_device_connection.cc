#include "controller/device_gateway/tcp_device_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/tls/controller_certificates.h"

namespace pedisim::device_gateway {
namespace {

std::string PeerOf(const asio::ip::tcp::socket& socket) {
  std::error_code error;
  const asio::ip::tcp::endpoint endpoint = socket.remote_endpoint(error);
  if (error) return "unknown peer";
  return fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

}  // namespace

TcpDeviceConnection::TcpDeviceConnection(asio::ip::tcp::socket socket, DeviceGateway& gateway,
                                         auth::Authenticator& authenticator,
                                         asio::ssl::context* tls)
    : socket_(std::move(socket)),
      tls_(tls ? std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls)
               : nullptr),
      gateway_(gateway),
      link_(gateway, "tcp", PeerOf(socket_), authenticator),
      stuck_write_timer_(socket_.get_executor()),
      hello_timer_(socket_.get_executor()) {}

TcpDeviceConnection::~TcpDeviceConnection() {
  if (link_.channel()) link_.channel()->SetWakeup(nullptr);
  Settle();
}

void TcpDeviceConnection::Settle() {
  if (!on_settled_) return;
  std::function<void()> settled = std::move(on_settled_);
  on_settled_ = nullptr;
  settled();
}

void TcpDeviceConnection::StartHelloDeadline() {
  const uint32_t deadline_ms = gateway_.limits().device_hello_ms;
  hello_timer_.expires_after(std::chrono::milliseconds(deadline_ms));
  hello_timer_.async_wait([self = shared_from_this(), deadline_ms](std::error_code error) {
    if (error || self->closed_ || self->goodbye_ || self->link_.channel()) return;
    self->gateway_.Hit(limits::Limit::kDeviceHello);
    spdlog::warn("device tcp from {} closed: no {} within {} ms (--device-hello-ms)",
                 self->link_.peer(), self->handshake_done_ ? "hello" : "TLS handshake",
                 deadline_ms);
    if (!self->handshake_done_) {
      self->Close();
      return;
    }
    self->SayGoodbye(grpc::Status(
        grpc::StatusCode::DEADLINE_EXCEEDED,
        fmt::format("hello: none within {} ms of connecting (--device-hello-ms)", deadline_ms)));
  });
}

template <typename Buffer, typename Handler>
void TcpDeviceConnection::AsyncRead(const Buffer& buffer, Handler&& handler) {
  if (tls_) {
    asio::async_read(*tls_, buffer, std::forward<Handler>(handler));
  } else {
    asio::async_read(socket_, buffer, std::forward<Handler>(handler));
  }
}

template <typename Buffer, typename Handler>
void TcpDeviceConnection::AsyncWrite(const Buffer& buffer, Handler&& handler) {
  if (tls_) {
    asio::async_write(*tls_, buffer, std::forward<Handler>(handler));
  } else {
    asio::async_write(socket_, buffer, std::forward<Handler>(handler));
  }
}

void TcpDeviceConnection::Start() {
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  // A fixed send buffer instead of Linux's autotuning (up to 4 MiB a
  // socket): a device's stream is tens of kilobytes a second, which 64 KiB
  // carries even across 100 ms of latency, and a device that stops reading
  // then shows within seconds (--device-stall-ms) rather than after a
  // minute of filling kernel memory, as would a thousand of them.
  socket_.set_option(asio::socket_base::send_buffer_size(64 * 1024), ignored);
  StartHelloDeadline();
  if (!tls_) {
    handshake_done_ = true;
    ReadHeader();
    return;
  }
  tls_->async_handshake(asio::ssl::stream_base::server,
                        [self = shared_from_this()](std::error_code error) {
                          if (self->closed_) return;
                          if (error) {
                            // A plain-text client, or one that does not
                            // trust our certificate.
                            spdlog::warn("device tcp from {} refused: TLS handshake failed: {}",
                                         self->link_.peer(), error.message());
                            self->Close();
                            return;
                          }
                          self->handshake_done_ = true;
                          self->NoteClientCertificate();
                          self->ReadHeader();
                        });
}

void TcpDeviceConnection::NoteClientCertificate() {
  SSL* ssl = tls_->native_handle();
  X509* certificate = SSL_get1_peer_certificate(ssl);
  if (certificate == nullptr) return;
  // The handshake fails on a certificate that does not verify against the
  // device CA; this is a second look, not the check.
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    if (std::optional<auth::ClientCertificate> identity = tls::ClientCertificateOf(certificate)) {
      link_.SetClientCertificate(std::move(*identity));
    }
  }
  X509_free(certificate);
}

void TcpDeviceConnection::Shutdown() {
  shut_down_ = true;
  const std::shared_ptr<device_gateway::DeviceChannel>& channel = link_.channel();
  if (channel) channel->SetWakeup(nullptr);
  if (closed_) return;
  // A session that ended has closed its channel with OK: its device gets the
  // final snapshot and an OK goodbye, as on gRPC.
  const std::optional<grpc::Status> ended =
      channel ? channel->close_status() : std::optional<grpc::Status>();
  SayGoodbye(
      ended.value_or(grpc::Status(grpc::StatusCode::UNAVAILABLE, "controller shutting down")));
}

void TcpDeviceConnection::ReadHeader() {
  AsyncRead(asio::buffer(header_), [self = shared_from_this()](std::error_code error, size_t) {
    if (self->closed_) return;
    // Over TLS a device that shuts its socket without TLS's close_notify
    // (as DeviceClient's half-close does) ends the stream "truncated".
    if (error == asio::error::eof || error == asio::ssl::error::stream_truncated) {
      // The device is done sending: an orderly end, as a
      // gRPC half-close is.
      self->link_.SignOff();
      // Pump here, holding `self`: the pump SignOff's wakeup posts holds
      // the connection weakly, and with no read or write left in flight
      // nothing else keeps it alive to send what is queued and the goodbye.
      if (!self->link_.channel()) {
        self->SayGoodbye(grpc::Status::OK);
      } else {
        self->Pump();
      }
      return;
    }
    if (error) {
      self->link_.Fail(
          grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost: " + error.message()));
      self->Close();
      return;
    }
    const uint32_t length = protocol::DecodeFrameLength(self->header_);
    // The configured limit, under the codec's own ceiling (what any reader
    // of the framing refuses).
    const uint32_t max_bytes =
        std::min(self->gateway_.limits().max_message_bytes, protocol::kMaxFrameBytes);
    if (length > max_bytes) {
      self->gateway_.Hit(limits::Limit::kMessageBytes);
      const grpc::Status status(
          grpc::StatusCode::INVALID_ARGUMENT,
          fmt::format("frame: {} bytes is over the {}-byte limit (--max-message-bytes)", length,
                      max_bytes));
      self->link_.Fail(status);
      self->SayGoodbye(status);
      return;
    }
    self->ReadBody(length);
  });
}

void TcpDeviceConnection::ReadBody(uint32_t length) {
  body_.resize(length);
  AsyncRead(asio::buffer(body_), [self = shared_from_this()](std::error_code error, size_t) {
    if (self->closed_) return;
    if (error) {
      self->link_.Fail(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "connection lost mid-frame: " + error.message()));
      self->Close();
      return;
    }
    self->OnFrame();
  });
}

void TcpDeviceConnection::OnFrame() {
  if (shut_down_) return;
  if (goodbye_) {
    // Nothing said after a goodbye counts (a hello arriving just after the
    // --device-hello-ms one must not join); it is read and dropped, since
    // closing on unread input would reset the connection, goodbye and all.
    ReadHeader();
    return;
  }
  v1::DeviceMessage message;
  if (!message.ParseFromString(body_)) {
    const grpc::Status status(
        grpc::StatusCode::INVALID_ARGUMENT,
        fmt::format("frame: {} bytes that are not a DeviceMessage", body_.size()));
    link_.Fail(status);
    SayGoodbye(status);
    return;
  }
  const bool joining = link_.channel() == nullptr;
  const grpc::Status status = link_.OnMessage(message);
  if (!status.ok()) {
    SayGoodbye(status);
    return;
  }
  if (joining) {
    hello_timer_.cancel();
    Settle();
    // One pump waiting on the Asio thread is enough however much is queued
    // meanwhile: a burst of updates must not become a burst of handlers.
    std::weak_ptr<TcpDeviceConnection> weak = weak_from_this();
    link_.channel()->SetWakeup([this, weak, executor = socket_.get_executor()] {
      if (pump_posted_.exchange(true)) return;
      asio::post(executor, [weak] {
        if (std::shared_ptr<TcpDeviceConnection> self = weak.lock()) {
          self->pump_posted_.store(false);
          self->Pump();
        }
      });
    });
    Pump();  // the welcome is waiting
  }
  ReadHeader();
}

void TcpDeviceConnection::Pump() {
  if (closed_ || goodbye_sent_) return;
  const std::shared_ptr<device_gateway::DeviceChannel>& channel = link_.channel();
  if (writing_) {
    const std::optional<grpc::Status> failed =
        channel ? channel->close_status() : std::optional<grpc::Status>();
    if (failed && !stuck_write_timer_armed_) {
      // After an orderly end (the session ended) what is queued may still
      // go out, for as long as a device may take nothing before it counts
      // as stalled; after a failure, briefly.
      stuck_write_timer_armed_ = true;
      stuck_write_timer_.expires_after(
          failed->ok() ? std::chrono::milliseconds(gateway_.limits().device_stall_ms)
                       : std::chrono::milliseconds(2000));
      stuck_write_timer_.async_wait([self = shared_from_this()](std::error_code error) {
        if (error || !self->writing_ || self->closed_) return;
        self->Close();  // the pending write fails and is not retried
      });
    }
    return;
  }
  // Batch what is queued into one write: fewer system calls under load.
  // What is queued goes out before the goodbye (after a failure the channel
  // gives nothing more).
  write_buffer_.clear();
  v1::ControllerMessage message;
  while (channel && write_buffer_.size() < 64 * 1024 && channel->PopOutgoing(&message)) {
    protocol::AppendFrame(message, &write_buffer_);
  }
  if (write_buffer_.empty()) {
    if (!goodbye_ && channel && channel->Drained()) {
      goodbye_ = channel->close_status().value_or(grpc::Status::OK);
    }
    if (goodbye_) SendGoodbye();
    return;
  }
  writing_ = true;
  AsyncWrite(
      asio::buffer(write_buffer_), [self = shared_from_this()](std::error_code error, size_t) {
        self->writing_ = false;
        if (self->closed_) return;
        if (error) {
          self->link_.Fail(
              grpc::Status(grpc::StatusCode::UNAVAILABLE, "write failed: " + error.message()));
          self->Close();
          return;
        }
        self->Pump();
      });
}

void TcpDeviceConnection::SayGoodbye(const grpc::Status& status) {
  if (closed_ || goodbye_) return;
  // Still pending until its socket closes: a host must not get round the
  // cap by sending one bad frame on each connection.
  hello_timer_.cancel();
  goodbye_ = status;
  Pump();  // sends it once what is queued (and any write in flight) is out
}

void TcpDeviceConnection::SendGoodbye() {
  goodbye_sent_ = true;
  v1::ControllerMessage goodbye;
  goodbye.mutable_goodbye()->set_code(static_cast<int32_t>(goodbye_->error_code()));
  goodbye.mutable_goodbye()->set_message(goodbye_->error_message());
  write_buffer_.clear();
  protocol::AppendFrame(goodbye, &write_buffer_);
  writing_ = true;
  AsyncWrite(asio::buffer(write_buffer_),
             [self = shared_from_this()](std::error_code error, size_t) {
               self->writing_ = false;
               if (error || self->closed_) {
                 self->Close();
                 return;
               }
               // Closing at once with unread input waiting (a device
               // still sending) would reset the connection and could
               // destroy the goodbye before the device reads it: end
               // our side, give it a moment, then close.
               std::error_code ignored;
               self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
               self->stuck_write_timer_.expires_after(std::chrono::seconds(1));
               self->stuck_write_timer_.async_wait([self](std::error_code) { self->Close(); });
             });
}

void TcpDeviceConnection::Close() {
  if (closed_) return;
  closed_ = true;
  std::error_code ignored;
  stuck_write_timer_.cancel();
  hello_timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  Settle();
}

}  // namespace pedisim::device_gateway

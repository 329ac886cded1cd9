#include "devices/network/device_client_transports.h"

#include <fmt/format.h>
#include <openssl/pem.h>

#include "client/controller_channel.h"
#include "client/tls_fingerprint.h"
#include "core/protocol/frame_codec.h"

namespace pedisim::devices {

GrpcDeviceClient::GrpcDeviceClient(const std::string& address,
                                   const client::ConnectionOptions& connection,
                                   std::chrono::seconds connect_timeout) {
  std::shared_ptr<grpc::Channel> channel = client::MakeControllerChannel(address, connection);
  stub_ = v1::DeviceService::NewStub(channel);
  // Waits for the controller to come up rather than failing at once.
  context_.set_wait_for_ready(true);
  context_.set_deadline(std::chrono::system_clock::now() + std::chrono::hours(24 * 365));
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + connect_timeout)) {
    unreachable_ = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                fmt::format("cannot reach the controller at {} within {} s",
                                            address, connect_timeout.count()));
    context_.TryCancel();
  }
  stream_ = stub_->Connect(&context_);
}

GrpcDeviceClient::~GrpcDeviceClient() {
  Shutdown();
  if (!finished_) {
    v1::ControllerMessage ignored;
    while (stream_->Read(&ignored)) {
    }
    (void)stream_->Finish();
  }
}

bool GrpcDeviceClient::ReadMessage(v1::ControllerMessage* message) {
  return stream_->Read(message);
}

bool GrpcDeviceClient::WriteMessage(const v1::DeviceMessage& message) {
  return stream_->Write(message);
}

void GrpcDeviceClient::HalfClose() { stream_->WritesDone(); }

grpc::Status GrpcDeviceClient::TransportStatus() {
  if (finished_) return grpc::Status(grpc::StatusCode::INTERNAL, "status already taken");
  finished_ = true;
  const grpc::Status status = stream_->Finish();
  return unreachable_ && status.error_code() == grpc::StatusCode::CANCELLED ? *unreachable_
                                                                            : status;
}

void GrpcDeviceClient::Abort() { context_.TryCancel(); }

TcpDeviceClient::TcpDeviceClient() : socket_(io_) {}

TcpDeviceClient::~TcpDeviceClient() { Shutdown(); }

grpc::Status TcpDeviceClient::Open(const std::string& address, const client::ConnectionOptions& tls,
                                   std::chrono::seconds connect_timeout) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "address: expected host:port");
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const std::string port = address.substr(colon + 1);
  // Retries while the controller is starting, up to the timeout.
  const auto give_up = std::chrono::steady_clock::now() + connect_timeout;
  std::error_code error;
  do {
    asio::ip::tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(host, port, error);
    if (!error) {
      asio::connect(socket_, endpoints, error);
      if (!error) {
        socket_.set_option(asio::ip::tcp::no_delay(true), error);
        if (!tls.UsesTls()) {
          if (tls.certificate_file.empty()) return grpc::Status::OK;
          return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              "cert_file: a client certificate is presented only over TLS "
                              "(--ca-file or --tls-fingerprint)");
        }
        return StartTls(host, tls);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < give_up);
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      fmt::format("cannot connect to {}: {}", address, error.message()));
}

grpc::Status TcpDeviceClient::StartTls(const std::string& host,
                                       const client::ConnectionOptions& tls) {
  const std::string& ca_file = tls.ca_file;
  const std::string& fingerprint = tls.fingerprint;
  std::error_code error;
  if (tls.certificate_file.empty() != tls.key_file.empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "cert_file and key_file: a client certificate needs both");
  }
  if (!tls.certificate_file.empty()) {
    tls_context_.use_certificate_chain_file(tls.certificate_file, error);
    if (error) {
      return grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          fmt::format("cert_file: cannot read {}: {}", tls.certificate_file, error.message()));
    }
    tls_context_.use_private_key_file(tls.key_file, asio::ssl::context::pem, error);
    if (error) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          fmt::format("key_file: cannot read {} (or it is not the certificate's "
                                      "key): {}",
                                      tls.key_file, error.message()));
    }
  }
  tls_context_.set_verify_mode(asio::ssl::verify_peer);
  if (!fingerprint.empty()) {
    // The pin replaces the chain of trust: only the server's own
    // certificate (depth 0) is judged, by its SHA-256.
    tls_context_.set_verify_callback([pinned = client::NormalizeFingerprint(fingerprint)](
                                         bool, asio::ssl::verify_context& context) {
      X509_STORE_CTX* store = context.native_handle();
      if (X509_STORE_CTX_get_error_depth(store) > 0) return true;
      BIO* bio = BIO_new(BIO_s_mem());
      PEM_write_bio_X509(bio, X509_STORE_CTX_get_current_cert(store));
      char* data = nullptr;
      const long size = BIO_get_mem_data(bio, &data);
      const std::string pem(data, static_cast<size_t>(size));
      BIO_free(bio);
      return client::CertificateFingerprint(pem) == pinned;
    });
  } else {
    tls_context_.load_verify_file(ca_file, error);
    if (error) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          fmt::format("ca_file: cannot read {}: {}", ca_file, error.message()));
    }
    tls_context_.set_verify_callback(asio::ssl::host_name_verification(host));
  }
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, tls_context_);
  SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
  tls_->handshake(asio::ssl::stream_base::client, error);
  if (error) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        fmt::format("TLS handshake with {} failed: {}", host, error.message()));
  }
  return grpc::Status::OK;
}

template <typename Buffer>
void TcpDeviceClient::ReadExactly(const Buffer& buffer, std::error_code& error) {
  if (tls_) {
    asio::read(*tls_, buffer, error);
  } else {
    asio::read(socket_, buffer, error);
  }
}

bool TcpDeviceClient::ReadMessage(v1::ControllerMessage* message) {
  if (ended_) return false;
  std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
  std::error_code error;
  ReadExactly(asio::buffer(header), error);
  std::string body;
  if (!error) {
    const uint32_t length = protocol::DecodeFrameLength(header);
    if (length > protocol::kMaxFrameBytes) {
      ended_ = grpc::Status(grpc::StatusCode::INTERNAL,
                            fmt::format("the controller sent a {}-byte frame", length));
      return false;
    }
    body.resize(length);
    ReadExactly(asio::buffer(body), error);
  }
  if (error) {
    ended_ = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "connection closed without a goodbye: " + error.message());
    return false;
  }
  if (!message->ParseFromString(body)) {
    ended_ = grpc::Status(grpc::StatusCode::INTERNAL, "the controller sent a bad frame");
    return false;
  }
  if (message->has_goodbye()) {
    ended_ = grpc::Status(static_cast<grpc::StatusCode>(message->goodbye().code()),
                          message->goodbye().message());
    return false;
  }
  return true;
}

bool TcpDeviceClient::WriteMessage(const v1::DeviceMessage& message) {
  write_buffer_.clear();
  protocol::AppendFrame(message, &write_buffer_);
  std::error_code error;
  if (tls_) {
    asio::write(*tls_, asio::buffer(write_buffer_), error);
  } else {
    asio::write(socket_, asio::buffer(write_buffer_), error);
  }
  return !error;
}

void TcpDeviceClient::HalfClose() {
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

grpc::Status TcpDeviceClient::TransportStatus() {
  return ended_.value_or(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection closed"));
}

void TcpDeviceClient::Abort() {
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

}  // namespace pedisim::devices

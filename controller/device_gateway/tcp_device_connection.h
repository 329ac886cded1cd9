#pragma once

#include <array>
#include <asio.hpp>
#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "controller/device_gateway/device_link.h"
#include "devices/network/frame_codec.h"

namespace pedisim::device_gateway {

// One device on the TCP transport. Lives on the server's Asio thread: reads
// frames into its DeviceLink, and writes what the link's channel queues
// (the channel's wakeup posts a pump onto that thread).
class TcpDeviceConnection : public std::enable_shared_from_this<TcpDeviceConnection> {
 public:
  TcpDeviceConnection(asio::ip::tcp::socket socket, DeviceGateway& gateway);
  ~TcpDeviceConnection();

  void Start();
  // From any thread: no wakeup runs after it returns, and the socket closes.
  void Detach();

 private:
  void ReadHeader();
  void ReadBody(uint32_t length);
  void OnFrame();
  void Pump();
  // Sends a goodbye frame with `status` once no write is in flight, then closes.
  void SayGoodbye(const grpc::Status& status);
  void SendGoodbye();
  void Close();

  asio::ip::tcp::socket socket_;
  DeviceLink link_;
  std::array<uint8_t, devices::kFrameHeaderBytes> header_{};
  std::string body_;
  std::string write_buffer_;
  bool writing_ = false;
  // Set while a pump is posted and has not started yet (see OnFrame).
  std::atomic<bool> pump_posted_{false};
  std::optional<grpc::Status> goodbye_;
  bool closed_ = false;
};

}  // namespace pedisim::device_gateway

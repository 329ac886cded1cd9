#pragma once

// The bare Asio server and client the TCP device transport is measured
// against: the same frames (a 4-byte big-endian length, then a serialized
// BaselineFrame padded to the size of the ControllerMessage it stands for),
// the same per-connection queue (BaselineFrameQueue) and the same
// batched writes on one Asio thread as TcpDeviceConnection, without the
// device protocol or a session behind it.

#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "baseline_stream.pb.h"

namespace pedisim::bench {

class AsioBaselineServer {
 public:
  // Listens on 127.0.0.1, any free port, on its own Asio thread.
  AsioBaselineServer();
  ~AsioBaselineServer();
  AsioBaselineServer(const AsioBaselineServer&) = delete;
  AsioBaselineServer& operator=(const AsioBaselineServer&) = delete;

  int port() const { return port_; }
  size_t clients();
  // Queues `frames` for every client in turn, stamping queued_at.
  void Broadcast(const std::vector<BaselineFrame>& frames);
  // Ends every connection once what is queued is written, stops the Asio
  // thread; returns the frames dropped in all.
  uint64_t CloseAll();

 private:
  class Connection;
  void Accept();

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::thread thread_;
};

// A blocking client: connects, then reads frames until the server closes.
class AsioBaselineClient {
 public:
  AsioBaselineClient(const std::string& host, int port);
  // False at the end of the stream; `error` says why when it was not a clean close.
  bool Read(BaselineFrame* frame, std::string* error);

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  std::string body_;
};

}  // namespace pedisim::bench

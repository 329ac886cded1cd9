#include "bench/asio_baseline.h"

#include <array>

#include "bench/baseline_frame_queue.h"
#include "core/protocol/frame_codec.h"

namespace pedisim::bench {

// One client: frames queued by the ticker, written by the Asio thread in
// batches, one write in flight, as TcpDeviceConnection does.
class AsioBaselineServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {
    socket_.set_option(asio::ip::tcp::no_delay(true));
  }

  void Push(const std::vector<BaselineFrame>& frames) {
    {
      std::lock_guard lock(mu_);
      queue_.Push(frames);
    }
    Wake();
  }

  void Close() {
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    Wake();
  }

  uint64_t dropped() {
    std::lock_guard lock(mu_);
    return queue_.dropped();
  }

 private:
  // One pump waiting on the Asio thread however much is queued meanwhile.
  void Wake() {
    if (pump_posted_.exchange(true)) return;
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      self->pump_posted_.store(false);
      self->Pump();
    });
  }

  void Pump() {
    if (writing_ || done_) return;
    write_buffer_.clear();
    bool closing = false;
    {
      std::lock_guard lock(mu_);
      BaselineFrame frame;
      while (write_buffer_.size() < 64 * 1024 && queue_.Pop(&frame)) {
        protocol::AppendFrame(frame, &write_buffer_);
      }
      closing = closing_ && queue_.empty();
    }
    if (write_buffer_.empty()) {
      if (closing) {
        done_ = true;
        std::error_code ignored;
        socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
      }
      return;
    }
    writing_ = true;
    asio::async_write(socket_, asio::buffer(write_buffer_),
                      [self = shared_from_this()](std::error_code error, size_t) {
                        self->writing_ = false;
                        if (error) {
                          self->done_ = true;
                          return;
                        }
                        self->Pump();
                      });
  }

  asio::ip::tcp::socket socket_;
  std::atomic<bool> pump_posted_{false};
  std::string write_buffer_;
  bool writing_ = false;  // Asio thread only
  bool done_ = false;     // Asio thread only
  std::mutex mu_;
  BaselineFrameQueue queue_;
  bool closing_ = false;
};

AsioBaselineServer::AsioBaselineServer()
    : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

AsioBaselineServer::~AsioBaselineServer() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void AsioBaselineServer::Accept() {
  acceptor_.async_accept([this](std::error_code error, asio::ip::tcp::socket socket) {
    if (error) return;
    {
      std::lock_guard lock(mu_);
      connections_.push_back(std::make_shared<Connection>(std::move(socket)));
    }
    Accept();
  });
}

size_t AsioBaselineServer::clients() {
  std::lock_guard lock(mu_);
  return connections_.size();
}

void AsioBaselineServer::Broadcast(const std::vector<BaselineFrame>& frames) {
  std::lock_guard lock(mu_);
  for (auto& connection : connections_) connection->Push(frames);
}

uint64_t AsioBaselineServer::CloseAll() {
  uint64_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    for (auto& connection : connections_) {
      connection->Close();
      dropped += connection->dropped();
    }
  }
  asio::post(io_, [this] {
    std::error_code ignored;
    acceptor_.close(ignored);
  });
  // Returns once every connection has written what it had and closed.
  connections_.clear();
  thread_.join();
  return dropped;
}

AsioBaselineClient::AsioBaselineClient(const std::string& host, int port) : socket_(io_) {
  socket_.connect(
      asio::ip::tcp::endpoint(asio::ip::make_address(host), static_cast<unsigned short>(port)));
  socket_.set_option(asio::ip::tcp::no_delay(true));
}

bool AsioBaselineClient::Read(BaselineFrame* frame, std::string* error) {
  std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
  std::error_code code;
  asio::read(socket_, asio::buffer(header), code);
  if (code) {
    if (code != asio::error::eof) *error = code.message();
    return false;
  }
  body_.resize(protocol::DecodeFrameLength(header));
  asio::read(socket_, asio::buffer(body_), code);
  if (code) {
    *error = code.message();
    return false;
  }
  if (!frame->ParseFromString(body_)) {
    *error = "a frame that is not a BaselineFrame";
    return false;
  }
  return true;
}

}  // namespace pedisim::bench

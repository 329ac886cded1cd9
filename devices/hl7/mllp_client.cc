#include "devices/hl7/mllp_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <mutex>
#include <thread>

#include "devices/hl7/hl7_ack.h"
#include "devices/hl7/mllp_framing.h"

namespace pedisim::devices::hl7 {

namespace {

using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kFirstBackoff{1000};
constexpr std::chrono::milliseconds kMaxBackoff{10000};

}  // namespace

struct MllpClient::Impl {
  Impl(std::string host_in, uint16_t port_in, std::chrono::milliseconds interval_in,
       std::chrono::milliseconds ack_timeout_in, NextMessage next_in)
      : host(std::move(host_in)),
        port(port_in),
        interval(interval_in),
        ack_timeout(ack_timeout_in),
        next(std::move(next_in)) {}

  // Immutable after construction.
  const std::string host;
  const uint16_t port;
  const std::chrono::milliseconds interval;
  const std::chrono::milliseconds ack_timeout;
  const NextMessage next;

  // Everything below is touched only on the client's thread, except stats.
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  tcp::socket socket{io};
  tcp::resolver resolver{io};
  asio::steady_timer tick_timer{io};
  asio::steady_timer ack_timer{io};
  asio::steady_timer retry_timer{io};
  Clock::time_point next_tick;
  std::array<char, 4096> read_chunk;
  MllpDeframer deframer;
  std::string write_buffer;
  // Bumped whenever a connection ends: handlers of an older connection that
  // are still queued see the change and do nothing.
  uint64_t generation = 0;
  bool connected = false;
  struct InFlight {
    std::string control_id;
    uint64_t sequence;
  };
  std::optional<InFlight> in_flight;
  uint64_t sequence = 0;
  std::chrono::milliseconds backoff = kFirstBackoff;
  std::thread thread;

  mutable std::mutex stats_mu;
  MllpStats stats;

  template <typename F>
  void UpdateStats(F&& change) {
    std::lock_guard lock(stats_mu);
    change(stats);
  }

  void Start() {
    asio::post(io, [this] {
      Connect();
      next_tick = Clock::now() + interval;
      ArmTick();
    });
    thread = std::thread([this] { io.run(); });
  }

  void Stop() {
    io.stop();
    if (thread.joinable()) thread.join();
  }

  void Connect() {
    const uint64_t current = ++generation;
    connected = false;
    deframer = MllpDeframer();
    socket = tcp::socket(io);
    UpdateStats([](MllpStats& s) { s.state = MllpStats::State::kConnecting; });
    std::error_code not_an_address;
    const asio::ip::address address = asio::ip::make_address(host, not_an_address);
    if (!not_an_address) {
      socket.async_connect(tcp::endpoint(address, port),
                           [this, current](std::error_code error) { OnConnect(current, error); });
      return;
    }
    resolver.async_resolve(
        host, std::to_string(port),
        [this, current](std::error_code error, const tcp::resolver::results_type& endpoints) {
          if (current != generation) return;
          if (error) {
            Fail(fmt::format("cannot resolve {}: {}", host, error.message()));
            return;
          }
          asio::async_connect(socket, endpoints,
                              [this, current](std::error_code connect_error, const tcp::endpoint&) {
                                OnConnect(current, connect_error);
                              });
        });
  }

  void OnConnect(uint64_t current, std::error_code error) {
    if (current != generation) return;
    if (error) {
      Fail(error.message());
      return;
    }
    connected = true;
    UpdateStats([](MllpStats& s) { s.state = MllpStats::State::kConnected; });
    Read(current);
    // Current values at once rather than an interval later.
    SendIfIdle();
  }

  // A connection that failed or broke: counted, closed, retried later.
  void Fail(const std::string& reason) {
    UpdateStats([](MllpStats& s) { ++s.connection_errors; });
    Reconnect(reason);
  }

  void Reconnect(const std::string& reason) {
    const uint64_t current = ++generation;
    connected = false;
    in_flight.reset();
    std::error_code ignored;
    socket.close(ignored);
    ack_timer.cancel();
    const Clock::time_point retry_at = Clock::now() + backoff;
    UpdateStats([&](MllpStats& s) {
      s.state = MllpStats::State::kWaitingToReconnect;
      s.last_error = reason;
      s.retry_at = retry_at;
    });
    retry_timer.expires_at(retry_at);
    retry_timer.async_wait([this, current](std::error_code error) {
      if (!error && current == generation) Connect();
    });
    backoff = std::min(backoff * 2, kMaxBackoff);
  }

  void ArmTick() {
    tick_timer.expires_at(next_tick);
    tick_timer.async_wait([this](std::error_code error) {
      if (error) return;
      // Anchored ticks do not drift; after a stall, skip rather than burst.
      next_tick += interval;
      if (next_tick < Clock::now()) next_tick = Clock::now() + interval;
      SendIfIdle();
      ArmTick();
    });
  }

  void SendIfIdle() {
    if (!connected || in_flight) return;
    std::optional<OutgoingMessage> message = next();
    if (!message) return;
    const uint64_t current = generation;
    in_flight = InFlight{message->control_id, ++sequence};
    write_buffer = MllpFrame(message->text);
    UpdateStats([](MllpStats& s) { ++s.sent; });
    asio::async_write(socket, asio::buffer(write_buffer),
                      [this, current](std::error_code error, size_t) {
                        if (current == generation && error) Fail("send failed: " + error.message());
                      });
    // Timed from the start of the write, so a receiver that stops reading
    // (and so never lets the write finish) times out too.
    ack_timer.expires_after(ack_timeout);
    ack_timer.async_wait([this, current, sent = in_flight->sequence](std::error_code error) {
      if (error || current != generation || !in_flight || in_flight->sequence != sent) return;
      const std::string id = in_flight->control_id;
      UpdateStats([](MllpStats& s) { ++s.ack_timeouts; });
      Reconnect(fmt::format("no ACK for message {} within {:g} s", id,
                            std::chrono::duration<double>(ack_timeout).count()));
    });
  }

  void Read(uint64_t current) {
    socket.async_read_some(asio::buffer(read_chunk), [this, current](std::error_code error,
                                                                     size_t length) {
      if (current != generation) return;
      if (error) {
        Fail(error == asio::error::eof ? "the receiver closed the connection" : error.message());
        return;
      }
      deframer.Append(std::string_view(read_chunk.data(), length));
      std::string message;
      while (true) {
        const MllpDeframer::Result result = deframer.Next(&message);
        if (result == MllpDeframer::Result::kNeedMore) break;
        if (result == MllpDeframer::Result::kOverflow) {
          Fail("no MLLP end block in 1 MiB from the receiver");
          return;
        }
        OnAck(message);
      }
      Read(current);
    });
  }

  void OnAck(std::string_view message) {
    const std::optional<Ack> ack = ParseAck(message);
    if (!ack || !in_flight || ack->control_id != in_flight->control_id) {
      // A late ACK of a message that timed out, or noise: nothing waits
      // for it.
      UpdateStats([](MllpStats& s) { ++s.stray_acks; });
      return;
    }
    const std::string id = in_flight->control_id;
    in_flight.reset();
    ack_timer.cancel();
    if (ack->accepted()) {
      backoff = kFirstBackoff;
      UpdateStats([](MllpStats& s) { ++s.acked; });
      return;
    }
    UpdateStats([&](MllpStats& s) {
      ++s.nacked;
      s.last_error = fmt::format("{} for message {}{}", ack->code, id,
                                 ack->text.empty() ? "" : ": " + ack->text);
    });
  }
};

MllpClient::MllpClient(std::string host, uint16_t port, std::chrono::milliseconds interval,
                       std::chrono::milliseconds ack_timeout, NextMessage next)
    : impl_(std::make_unique<Impl>(std::move(host), port, interval, ack_timeout, std::move(next))) {
  impl_->Start();
}

MllpClient::~MllpClient() { impl_->Stop(); }

MllpStats MllpClient::Stats() const {
  std::lock_guard lock(impl_->stats_mu);
  return impl_->stats;
}

std::string MllpClient::StatusLine() const {
  const MllpStats s = Stats();
  std::string counts = fmt::format("{} sent, {} acked, {} errors", s.sent, s.acked, s.errors());
  if (s.errors() > 0) {
    counts += fmt::format(" ({} AE/AR, {} ACK timeouts, {} connection)", s.nacked, s.ack_timeouts,
                          s.connection_errors);
  }
  const std::string peer = fmt::format("{}:{}", impl_->host, impl_->port);
  switch (s.state) {
    case MllpStats::State::kConnecting:
      return fmt::format("connecting to {} ({})", peer, counts);
    case MllpStats::State::kConnected:
      return fmt::format("connected to {}, {}{}", peer, counts,
                         s.last_error.empty() ? "" : "; last error: " + s.last_error);
    case MllpStats::State::kWaitingToReconnect:
      break;
  }
  const auto wait = std::chrono::ceil<std::chrono::seconds>(s.retry_at - Clock::now());
  return fmt::format("reconnecting to {} in {} s: {} ({})", peer,
                     std::max<int64_t>(wait.count(), 0), s.last_error, counts);
}

}  // namespace pedisim::devices::hl7

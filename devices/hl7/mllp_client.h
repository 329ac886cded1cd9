#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace pedisim::devices::hl7 {

// One HL7 message ready to go, and the control id its ACK must echo.
struct OutgoingMessage {
  std::string control_id;
  std::string text;  // segments separated by \r, without MLLP framing
};

// What the client has done so far; a copy, safe to read from any thread.
struct MllpStats {
  enum class State { kConnecting, kConnected, kWaitingToReconnect };
  State state = State::kConnecting;
  uint64_t sent = 0;
  uint64_t acked = 0;
  uint64_t nacked = 0;             // AE/AR/CE/CR
  uint64_t ack_timeouts = 0;       // no ACK within ack_timeout
  uint64_t connection_errors = 0;  // refused, reset, closed, unreadable stream
  uint64_t stray_acks = 0;         // an ACK for no message in flight (ignored)
  std::string last_error;
  std::chrono::steady_clock::time_point retry_at;  // when kWaitingToReconnect

  uint64_t errors() const { return nacked + ack_timeouts + connection_errors; }
};

// An outbound HL7 v2 sender over MLLP (start block 0x0B, message, end block
// 0x1C 0x0D) on its own Asio thread. Every `interval` it asks `next` for the
// message to send; while one is waiting for its ACK, or while disconnected,
// nothing is sent and nothing is queued: the next tick asks again, so the
// receiver gets current values rather than a backlog. One message is in
// flight at a time (HL7 original-mode acknowledgement).
//
// An ACK must echo the control id (MSA-2); AA/CA count as acked, AE/AR/CE/CR
// as nacked (not resent: the next tick carries newer values). No ACK within
// `ack_timeout` counts a timeout and drops the connection, since a late ACK
// would leave the stream out of step. Connection failures and drops are
// retried after a backoff of 1, 2, 4, 8 then 10 s, reset by the next ACK.
class MllpClient {
 public:
  using NextMessage = std::function<std::optional<OutgoingMessage>()>;

  // Starts connecting at once. `next` is called on the client's thread.
  MllpClient(std::string host, uint16_t port, std::chrono::milliseconds interval,
             std::chrono::milliseconds ack_timeout, NextMessage next);
  // Stops the thread without waiting for the peer: a silent or stuck
  // receiver cannot hold it up. (Resolving a host name is the exception: a
  // lookup in progress is waited for; addresses need none.)
  ~MllpClient();

  MllpClient(const MllpClient&) = delete;
  MllpClient& operator=(const MllpClient&) = delete;

  MllpStats Stats() const;
  // "connected to 127.0.0.1:2575, 12 sent, 12 acked, 0 errors", or
  // "reconnecting in 2 s: Connection refused (0 sent, 0 acked, 3 errors)".
  std::string StatusLine() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pedisim::devices::hl7

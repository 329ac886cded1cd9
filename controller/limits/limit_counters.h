#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace pedisim::limits {

// What one controller allows at most. Each figure is a flag of
// pedisim-controller (the flag's name is given beside it); a request or
// device over a limit gets an error naming the flag and its value, and the
// limit's counter goes up (LimitCounters).
struct LimitSettings {
  // --max-message-bytes: the largest gRPC request message and the largest
  // TCP device frame. The biggest legitimate one is a scenario file sent to
  // ScenarioService.Validate (tens of kilobytes); a snapshot is a few.
  uint32_t max_message_bytes = 1 << 20;
  // --device-message-rate and --device-message-burst: messages per second a
  // device may send, sustained, and how many may come at once. A 60 Hz CPR
  // manikin sends 61 a second (samples and a heartbeat); the burst lets a
  // device that was cut off for a few seconds send what it held back.
  uint32_t device_message_rate = 240;
  uint32_t device_message_burst = 1200;
  // --device-stall-ms: a device that takes nothing of what is queued for it
  // this long (it stopped reading) is disconnected.
  uint32_t device_stall_ms = 10000;
  // --max-sessions: live sessions (created, running or paused); each keeps
  // a thread, its record files and its log until it ends. Ended sessions
  // hand over to the recording catalog and do not count.
  uint32_t max_sessions = 64;
  // --max-devices-per-session: devices attached to one session, configured
  // and network alike (the load benchmarks join 1,000 manikins to one).
  uint32_t max_devices_per_session = 1024;
  // --max-watchers-per-session: SessionService.Watch streams open on one
  // session at once.
  uint32_t max_watchers_per_session = 256;
  // --device-hello-ms: a TCP device connection has this long to finish its
  // TLS handshake and say hello; until then it is no one, and holds a socket.
  uint32_t device_hello_ms = 10000;
  // --max-pending-devices-per-host: TCP connections from one host that have
  // not joined a session yet (a room's devices start together; a host
  // opening hundreds and saying nothing is exhausting the port).
  uint32_t max_pending_devices_per_host = 32;
  // --min-free-disk-mb: a session is not started while the data folder's
  // disk has less free space than this (its record would soon fail), and a
  // running one warns its watchers when the disk falls under it.
  uint32_t min_free_disk_mb = 64;
};

enum class Limit {
  kMessageBytes,
  kDeviceMessageRate,
  kDeviceStall,
  kSessions,
  kDevicesPerSession,
  kWatchersPerSession,
  kDeviceHello,
  kPendingDevicesPerHost,
  kMinFreeDisk,
  // Not settings but the process's own: open files (RLIMIT_NOFILE) and
  // threads that could not be had; counted and logged (ExhaustionWatch).
  kOpenFiles,
  kThreads,
};
inline constexpr size_t kLimitCount = 11;

// One limit as GetLimits reports it.
struct LimitFigure {
  std::string flag;  // without the leading dashes
  std::string description;
  double value = 0;
  std::string unit;
  double burst = 0;
  uint64_t hits = 0;
};

// The settings and how many times each limit was hit since start-up.
// Thread-safe: counting is one relaxed atomic increment, cheap enough for
// the device links' hot paths.
class LimitCounters {
 public:
  explicit LimitCounters(LimitSettings settings = {});

  const LimitSettings& settings() const { return settings_; }
  std::chrono::system_clock::time_point since() const { return since_; }

  void Hit(Limit limit);
  uint64_t Hits(Limit limit) const;
  // Every limit, in the order of Limit.
  std::vector<LimitFigure> Figures() const;

 private:
  const LimitSettings settings_;
  const std::chrono::system_clock::time_point since_;
  std::array<std::atomic<uint64_t>, kLimitCount> hits_{};
};

}  // namespace pedisim::limits

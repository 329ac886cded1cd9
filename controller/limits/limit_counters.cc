#include "controller/limits/limit_counters.h"

#include <sys/resource.h>

namespace pedisim::limits {

namespace {

rlim_t OpenFileLimit() {
  rlimit limit{};
  return getrlimit(RLIMIT_NOFILE, &limit) == 0 ? limit.rlim_cur : 0;
}

}  // namespace

LimitCounters::LimitCounters(LimitSettings settings)
    : settings_(settings), since_(std::chrono::system_clock::now()) {}

void LimitCounters::Hit(Limit limit) {
  hits_[static_cast<size_t>(limit)].fetch_add(1, std::memory_order_relaxed);
}

uint64_t LimitCounters::Hits(Limit limit) const {
  return hits_[static_cast<size_t>(limit)].load(std::memory_order_relaxed);
}

std::vector<LimitFigure> LimitCounters::Figures() const {
  const LimitSettings& s = settings_;
  std::vector<LimitFigure> figures = {
      {"max-message-bytes",
       "largest TCP device frame (hits) and gRPC request message (refused by gRPC itself "
       "before the controller sees the call: not counted)",
       static_cast<double>(s.max_message_bytes), "bytes", 0, 0},
      {"device-message-rate", "messages a device may send; over it the device is disconnected",
       static_cast<double>(s.device_message_rate), "messages per second",
       static_cast<double>(s.device_message_burst), 0},
      {"device-stall-ms",
       "how long a device may take nothing of what is queued for it before it is disconnected",
       static_cast<double>(s.device_stall_ms), "milliseconds", 0, 0},
      {"max-sessions", "sessions held, running or ended", static_cast<double>(s.max_sessions),
       "sessions", 0, 0},
      {"max-devices-per-session", "devices attached to one session",
       static_cast<double>(s.max_devices_per_session), "devices", 0, 0},
      {"max-watchers-per-session", "Watch streams open on one session",
       static_cast<double>(s.max_watchers_per_session), "streams", 0, 0},
      {"device-hello-ms",
       "how long a TCP device connection may take to finish TLS and say hello before it is closed",
       static_cast<double>(s.device_hello_ms), "milliseconds", 0, 0},
      {"max-pending-devices-per-host",
       "TCP device connections from one host that have not joined a session yet; more are closed "
       "at once",
       static_cast<double>(s.max_pending_devices_per_host), "connections", 0, 0},
      {"min-free-disk-mb",
       "free space the data folder's disk must have for a session to be created or forked",
       static_cast<double>(s.min_free_disk_mb), "megabytes", 0, 0},
      {"open-files",
       "times the controller found its open files at the process's limit (RLIMIT_NOFILE, shown): "
       "new clients and devices cannot connect",
       static_cast<double>(OpenFileLimit()), "files", 0, 0},
      {"threads", "times the controller could not start a thread (a session's pacer)", 0, "threads",
       0, 0},
  };
  for (size_t i = 0; i < figures.size(); ++i) figures[i].hits = Hits(static_cast<Limit>(i));
  return figures;
}

}  // namespace pedisim::limits

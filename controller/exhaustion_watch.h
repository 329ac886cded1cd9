#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "controller/limits/limit_counters.h"

namespace pedisim {

// Running out of file descriptors stops new clients and devices inside gRPC
// and Asio, where nothing is logged. This watch looks every few seconds:
// open files at (or within a small reserve of) the process's limit are
// counted (limits::Limit::kOpenFiles, in AdminService.GetLimits) and logged,
// at most once a minute so that the log does not fill the disk too.
class ExhaustionWatch {
 public:
  static constexpr std::chrono::seconds kCheckInterval{5};
  static constexpr std::chrono::seconds kLogInterval{60};
  // Descriptors left that count as exhausted: gRPC and Asio need a few to
  // accept, and the watch one to count.
  static constexpr long kReserve = 16;

  explicit ExhaustionWatch(limits::LimitCounters& counters);
  ~ExhaustionWatch();
  ExhaustionWatch(const ExhaustionWatch&) = delete;
  ExhaustionWatch& operator=(const ExhaustionWatch&) = delete;

  // Checks once now (the thread calls it); true when open files are at the
  // limit.
  bool CheckOpenFiles();

 private:
  void Run();

  limits::LimitCounters& counters_;
  std::optional<std::chrono::steady_clock::time_point> last_logged_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool closing_ = false;
  std::thread watcher_;
};

}  // namespace pedisim

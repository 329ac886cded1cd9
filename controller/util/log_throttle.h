#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace pedisim {

// Says whether a log line about `key` (a client host) may be written now:
// at most once per `period` for each key, so a client sending garbage in a
// loop costs one line a minute, not one per call. Keys not heard of for a
// period are forgotten when the table grows.
class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::steady_clock::duration period) : period_(period) {}

  bool ShouldLog(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    if (last_.size() > kMaxKeys) {
      std::erase_if(last_, [&](const auto& entry) { return now - entry.second >= period_; });
    }
    auto [entry, added] = last_.try_emplace(key, now);
    if (added) return true;
    if (now - entry->second < period_) return false;
    entry->second = now;
    return true;
  }

 private:
  static constexpr size_t kMaxKeys = 10000;
  const std::chrono::steady_clock::duration period_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_;
};

}  // namespace pedisim

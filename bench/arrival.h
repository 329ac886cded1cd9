#pragma once

// Hands the arrival of one awaited value from the thread that sees it (a
// stream's reader, a monitor's frame loop) to the thread that made the call
// it answers, with the time it was seen.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

#include "bench/load_common.h"

namespace pedisim::bench {

class Arrival {
 public:
  void Expect(uint64_t key) {
    std::lock_guard lock(mu_);
    expected_ = key;
    received_.reset();
  }

  void Offer(uint64_t key, size_t bytes) {
    const Clock::time_point now = Clock::now();
    std::lock_guard lock(mu_);
    if (received_ || key != expected_) return;
    received_ = now;
    bytes_ = bytes;
    arrived_.notify_all();
  }

  // When the awaited value arrived and the size of the message that carried
  // it; nothing if it did not arrive within `timeout`.
  std::optional<Clock::time_point> Wait(std::chrono::milliseconds timeout, size_t* bytes) {
    std::unique_lock lock(mu_);
    arrived_.wait_for(lock, timeout, [&] { return received_.has_value(); });
    *bytes = bytes_;
    return received_;
  }

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  uint64_t expected_ = 0;
  std::optional<Clock::time_point> received_;
  size_t bytes_ = 0;
};

}  // namespace pedisim::bench

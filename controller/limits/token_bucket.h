#pragma once

#include <algorithm>
#include <chrono>

namespace pedisim::limits {

// A rate limit: `rate` tokens a second flow into a bucket holding at most
// `burst`; each message takes one. Starts full. Not thread-safe: one per
// device link, used by the link's reader only.
class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket(double rate_per_s, double burst)
      : rate_per_s_(rate_per_s), burst_(burst), tokens_(burst) {}

  // Takes a token if there is one.
  bool Take(Clock::time_point now) {
    if (started_) {
      const double elapsed_s = std::chrono::duration<double>(now - last_).count();
      tokens_ = std::min(burst_, tokens_ + std::max(0.0, elapsed_s) * rate_per_s_);
    }
    started_ = true;
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  const double rate_per_s_;
  const double burst_;
  double tokens_;
  bool started_ = false;
  Clock::time_point last_;
};

}  // namespace pedisim::limits

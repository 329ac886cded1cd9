#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace pedisim::auth {

// Limits failures per key (a client host, an account: see Authenticator)
// with a token bucket: a key may fail `burst` times in a row, then once per
// `refill`. A key over its limit is refused without the failure being
// logged again, so the log gets one line per lockout instead of one per
// attempt.
class FailureLimiter {
 public:
  struct Options {
    int burst = 10;
    std::chrono::milliseconds refill{6000};
  };

  explicit FailureLimiter(Options options) : options_(options) {}

  // How long `key` must wait before it may try again; nullopt when it may
  // try now.
  std::optional<std::chrono::milliseconds> Blocked(const std::string& key);
  // Counts a failure; true when this one used up the key's allowance.
  bool RecordFailure(const std::string& key);

 private:
  struct Bucket {
    double allowance;
    std::chrono::steady_clock::time_point updated;
  };
  // Brings the bucket up to date; hosts with a full allowance are not kept.
  Bucket& RefillLocked(const std::string& host, std::chrono::steady_clock::time_point now);
  void ForgetFullBucketsLocked(std::chrono::steady_clock::time_point now);

  const Options options_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace pedisim::auth

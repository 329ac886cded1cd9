#include "controller/auth/failure_limiter.h"

#include <algorithm>
#include <cmath>

namespace pedisim::auth {

namespace {

// Hosts remembered at most; beyond, those that have fully recovered go first.
constexpr size_t kMaxHosts = 10000;

}  // namespace

FailureLimiter::Bucket& FailureLimiter::RefillLocked(const std::string& host,
                                                     std::chrono::steady_clock::time_point now) {
  auto [entry, added] =
      buckets_.try_emplace(host, Bucket{static_cast<double>(options_.burst), now});
  Bucket& bucket = entry->second;
  if (!added) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    const double per_refill = std::chrono::duration<double>(options_.refill).count();
    bucket.allowance =
        std::min<double>(options_.burst, bucket.allowance + elapsed / std::max(per_refill, 1e-3));
    bucket.updated = now;
  }
  return bucket;
}

std::optional<std::chrono::milliseconds> FailureLimiter::Blocked(const std::string& host) {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (buckets_.count(host) == 0) return std::nullopt;
  const Bucket& bucket = RefillLocked(host, now);
  if (bucket.allowance >= 1.0) return std::nullopt;
  const double missing = 1.0 - bucket.allowance;
  return std::chrono::milliseconds(
      static_cast<int64_t>(std::ceil(missing * static_cast<double>(options_.refill.count()))));
}

bool FailureLimiter::RecordFailure(const std::string& host) {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (buckets_.size() >= kMaxHosts) ForgetFullBucketsLocked(now);
  Bucket& bucket = RefillLocked(host, now);
  bucket.allowance = std::max(0.0, bucket.allowance - 1.0);
  return bucket.allowance < 1.0;
}

void FailureLimiter::ForgetFullBucketsLocked(std::chrono::steady_clock::time_point now) {
  for (auto bucket = buckets_.begin(); bucket != buckets_.end();) {
    const std::string host = bucket->first;
    ++bucket;
    if (RefillLocked(host, now).allowance >= options_.burst) buckets_.erase(host);
  }
}

}  // namespace pedisim::auth

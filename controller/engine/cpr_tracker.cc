#include "controller/engine/cpr_tracker.h"

#include <algorithm>

namespace pedisim::engine {

namespace {
constexpr double kActiveWindowS = 2.0;
constexpr double kQualityWindowS = 6.0;
}  // namespace

CprTracker::CprTracker(double age_years)
    : target_depth_mm_(age_years < 1 ? 40 : 50),
      target_rate_low_(age_years < 28.0 / 365.0 ? 80 : 100),
      target_rate_high_(age_years < 28.0 / 365.0 ? 100 : 120) {}

void CprTracker::AddCompression(double sim_time_s, const v1::CompressionSample& sample) {
  recent_.push_back({sim_time_s, sample});
  while (!recent_.empty() && recent_.front().time_s < sim_time_s - kQualityWindowS) {
    recent_.pop_front();
  }
}

bool CprTracker::Active(double now_s) const {
  return !recent_.empty() && now_s - recent_.back().time_s <= kActiveWindowS;
}

void CprTracker::Window(double now_s, double* rate, double* depth, double* recoil) const {
  double rate_sum = 0, depth_sum = 0, recoiled = 0;
  int count = 0;
  for (const Compression& compression : recent_) {
    if (compression.time_s < now_s - kQualityWindowS) continue;
    rate_sum += compression.sample.rate_per_min();
    depth_sum += compression.sample.depth_mm();
    recoiled += compression.sample.full_recoil() ? 1 : 0;
    ++count;
  }
  *rate = count ? rate_sum / count : 0;
  *depth = count ? depth_sum / count : 0;
  *recoil = count ? recoiled / count : 0;
}

double CprTracker::RatePerMin(double now_s) const {
  double rate, depth, recoil;
  Window(now_s, &rate, &depth, &recoil);
  return rate;
}

double CprTracker::DepthMm(double now_s) const {
  double rate, depth, recoil;
  Window(now_s, &rate, &depth, &recoil);
  return depth;
}

double CprTracker::Quality(double now_s) const {
  if (!Active(now_s)) return 0;
  double rate, depth, recoil;
  Window(now_s, &rate, &depth, &recoil);
  const double depth_score = std::clamp(depth / target_depth_mm_, 0.0, 1.0);
  // Full marks within the target rate, falling off outside it.
  const double rate_score = rate < target_rate_low_
                                ? std::clamp(rate / target_rate_low_, 0.0, 1.0)
                                : std::clamp(1 - (rate - target_rate_high_) / 60, 0.0, 1.0);
  return depth_score * rate_score * (0.5 + 0.5 * recoil);
}

}  // namespace pedisim::engine

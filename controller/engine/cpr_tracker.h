#pragma once

#include <deque>

#include "pedisim/v1/actions.pb.h"

namespace pedisim::engine {

// Recent chest compressions and what they add up to: whether CPR is going
// on, at what rate and depth, and how good it is against the child's target.
class CprTracker {
 public:
  // Target depth by age: about 4 cm in infants, 5 cm in children and
  // adolescents (clinical.md §4 [S29, S29b]). Target rate 100-120/min [S29],
  // except newborns: 3:1 with breaths, 90 compressions a minute (§5e [S36c]).
  explicit CprTracker(double age_years);

  void AddCompression(double sim_time_s, const v1::CompressionSample& sample);

  // Compressions within the last 2 s count as CPR in progress.
  bool Active(double now_s) const;
  double RatePerMin(double now_s) const;
  double DepthMm(double now_s) const;
  // 0..1: depth against target, rate within 100-120/min, full recoil.
  double Quality(double now_s) const;

 private:
  struct Compression {
    double time_s;
    v1::CompressionSample sample;
  };
  void Window(double now_s, double* rate, double* depth, double* recoil) const;

  double target_depth_mm_;
  double target_rate_low_;
  double target_rate_high_;
  std::deque<Compression> recent_;
};

}  // namespace pedisim::engine

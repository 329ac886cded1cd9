#pragma once

#include <array>

#include "core/vitals/vital_table.h"
#include "pedisim/v1/vitals.pb.h"

namespace pedisim::engine {

// Each numeric vital moves linearly from where it was to a target over a set
// simulated duration; the rhythm switches at once.
class VitalTrends {
 public:
  // Every parameter of `initial` must be set.
  explicit VitalTrends(const v1::Vitals& initial);

  void TrendTo(int field, double target, double now_s, double duration_s);
  // The same from `from` rather than from the trend's value at now_s.
  void TrendFromTo(int field, double from, double target, double now_s, double duration_s);
  double Value(int field, double now_s) const;
  double Target(int field) const { return tracks_[field].to; }

  void SetRhythm(v1::Rhythm rhythm) { rhythm_ = rhythm; }
  v1::Rhythm rhythm() const { return rhythm_; }

  v1::Vitals Snapshot(double now_s) const;

 private:
  struct Track {
    double from = 0;
    double to = 0;
    double start_s = 0;
    double duration_s = 0;
  };
  std::array<Track, vitals::kVitalFieldCount> tracks_;
  v1::Rhythm rhythm_ = v1::RHYTHM_SINUS;
};

}  // namespace pedisim::engine

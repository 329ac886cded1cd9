#include "controller/engine/vital_trends.h"

#include <algorithm>

namespace pedisim::engine {

VitalTrends::VitalTrends(const v1::Vitals& initial) {
  for (int i = 0; i < vitals::kVitalFieldCount; ++i) {
    const double value = (initial.*vitals::VitalFields()[i].get)();
    tracks_[i] = Track{value, value, 0, 0};
  }
  if (initial.has_rhythm()) rhythm_ = initial.rhythm();
}

void VitalTrends::TrendTo(int field, double target, double now_s, double duration_s) {
  TrendFromTo(field, Value(field, now_s), target, now_s, duration_s);
}

void VitalTrends::TrendFromTo(int field, double from, double target, double now_s,
                              double duration_s) {
  tracks_[field] = Track{from, target, now_s, std::max(0.0, duration_s)};
}

double VitalTrends::Value(int field, double now_s) const {
  const Track& track = tracks_[field];
  if (track.duration_s <= 0 || now_s >= track.start_s + track.duration_s) return track.to;
  const double progress = std::clamp((now_s - track.start_s) / track.duration_s, 0.0, 1.0);
  return track.from + (track.to - track.from) * progress;
}

v1::Vitals VitalTrends::Snapshot(double now_s) const {
  v1::Vitals vitals;
  for (int i = 0; i < vitals::kVitalFieldCount; ++i) {
    (vitals.*vitals::VitalFields()[i].set)(Value(i, now_s));
  }
  vitals.set_rhythm(rhythm_);
  return vitals;
}

}  // namespace pedisim::engine

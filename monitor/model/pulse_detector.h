#pragma once

// Finds the pulses in the pleth as an oximeter does, for the pulse tone,
// and the R waves in the ECG, for the defibrillator's sync markers: one beat
// per upstroke through 60 % of the recent range, re-armed below 30 %, so
// that noise on a slope is not a second beat and a T wave (well under the
// R) is none. A flat trace (no pulse, asystole, sensor off) has none.

#include <cstdint>
#include <span>
#include <vector>

namespace pedisim::monitor {

class PulseDetector {
 public:
  // Feeds consecutive samples; returns how many beats began in them, and
  // appends their indexes in `samples` to `at` when given.
  int Feed(std::span<const float> samples, std::vector<size_t>* at = nullptr);
  uint64_t total() const { return total_; }

 private:
  // A pleth that moves less than this carries no pulse.
  static constexpr float kSmallestSwing = 0.1f;
  // The running range decays, so the thresholds follow a changing signal.
  static constexpr float kDecay = 0.999f;
  float low_ = 1;
  float high_ = 0;
  bool armed_ = false;
  uint64_t total_ = 0;
};

}  // namespace pedisim::monitor

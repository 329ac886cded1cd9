#include "monitor/model/pulse_detector.h"

#include <algorithm>

namespace pedisim::monitor {

int PulseDetector::Feed(std::span<const float> samples, std::vector<size_t>* at) {
  int found = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const float value = samples[i];
    // The range relaxes toward the signal, then stretches to hold it.
    const float middle = (low_ + high_) / 2;
    low_ = std::min(value, middle - (middle - low_) * kDecay);
    high_ = std::max(value, middle + (high_ - middle) * kDecay);
    const float swing = high_ - low_;
    if (swing < kSmallestSwing) {
      armed_ = false;
      continue;
    }
    const float rise_at = low_ + swing * 0.6f;
    const float rearm_at = low_ + swing * 0.3f;
    if (value < rearm_at) armed_ = true;
    if (armed_ && value > rise_at) {
      armed_ = false;
      ++found;
      ++total_;
      if (at != nullptr) at->push_back(i);
    }
  }
  return found;
}

}  // namespace pedisim::monitor

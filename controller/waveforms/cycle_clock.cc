#include "controller/waveforms/cycle_clock.h"

#include <algorithm>
#include <cmath>

namespace pedisim::waveforms {

double CycleSpan::PhaseAt(double t) const {
  if (!moving()) return start_phase;
  const double phase = start_phase + (t - start_s) * cycles_per_s;
  // A finished cycle rests at 0, which every waveform shape treats as its
  // resting point (phase 1 and phase 0 look the same).
  if (finishing) return phase >= 1.0 ? 0.0 : std::max(phase, 0.0);
  return phase - std::floor(phase);
}

CycleSpan CycleClock::Advance(double start_s, double end_s, double cycles_per_s,
                              std::vector<double>* cycle_starts) {
  CycleSpan span{start_s, phase_, cycles_per_s, false};
  if (cycles_per_s <= 0.0) {
    if (phase_ <= 0.0 || last_cycles_per_s_ <= 0.0) {
      span.cycles_per_s = 0.0;
      return span;
    }
    span.cycles_per_s = last_cycles_per_s_;
    span.finishing = true;
    const double end_phase = phase_ + (end_s - start_s) * last_cycles_per_s_;
    if (end_phase >= 1.0) {
      phase_ = 0.0;
      last_cycles_per_s_ = 0.0;
    } else {
      phase_ = end_phase;
    }
    return span;
  }

  last_cycles_per_s_ = cycles_per_s;
  const double end_phase = phase_ + (end_s - start_s) * cycles_per_s;
  if (cycle_starts != nullptr) {
    // A cycle starts where the unwrapped phase crosses an integer. One that
    // starts exactly at end_s belongs to the next call; one exactly at start_s
    // (phase 0) belongs to this one.
    for (double boundary = std::ceil(phase_); boundary < end_phase; boundary += 1.0) {
      cycle_starts->push_back(start_s + (boundary - phase_) / cycles_per_s);
    }
  }
  phase_ = end_phase - std::floor(end_phase);
  return span;
}

}  // namespace pedisim::waveforms

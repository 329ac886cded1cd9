#pragma once

// SpO2 plethysmogram at 125 Hz, normalized 0..1: one pulse per perfusing
// ventricular beat, reaching the finger a pulse-transit delay after the R
// wave, with a dicrotic notch; small pulses at the compression rate during
// CPR; otherwise flat.

#include <cstdint>
#include <span>
#include <vector>

#include "controller/waveforms/cycle_clock.h"
#include "controller/waveforms/ecg.h"
#include "controller/util/deterministic_noise.h"

namespace pedisim::waveforms {

class PlethSynthesizer {
 public:
  static constexpr double kSampleRateHz = 125.0;

  explicit PlethSynthesizer(uint64_t seed);

  // Adds the pulse a beat that ejects blood sends to the finger. Amplitude
  // falls mildly with saturation (a poorly saturated, often poorly perfused
  // patient shows a smaller pleth on most monitors' fixed scale).
  void AddPulse(const VentricularBeat& beat, double spo2_pct);

  // Writes samples first_index, first_index + 1, ... into out (0..1), with the
  // pulses of the compressions described by the span.
  void Render(int64_t first_index, std::span<float> out, const CycleSpan& compressions,
              double compression_depth_mm);

  // The state that carries over between calls (see state_archive.h).
  template <class Archive>
  void VisitState(Archive& archive) {
    archive.Field(pulses_);
  }

 private:
  // One arterial pulse: a quick systolic upstroke, a gradual decline with a
  // dicrotic notch (the reflected wave after aortic valve closure), back to
  // the baseline by the next beat.
  struct Pulse {
    double foot_s;
    double rise_s;
    double decay_s;
    double dicrotic_center_s;
    double dicrotic_rise_s;
    double dicrotic_fall_s;
    double amplitude;

    double end_s() const;
    double ValueAt(double t) const;
  };

  NoiseStream noise_;
  std::vector<Pulse> pulses_;
};

}  // namespace pedisim::waveforms

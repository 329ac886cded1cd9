#pragma once

// Ventricular fibrillation: chaotic ventricular activity with no organized
// complexes, modelled as a few sinusoids in the 4-8 Hz band whose frequencies
// drift and whose amplitudes are modulated at random. Their sum has no stable
// period, so peak intervals and heights vary from one wavelet to the next, as
// in coarse VF.

#include <array>
#include <cstdint>

#include "controller/util/deterministic_noise.h"

namespace pedisim::waveforms {

class Fibrillation {
 public:
  Fibrillation(uint64_t seed, double sample_rate_hz);

  // The next VF sample in mV, for ECG sample `index` (consecutive calls take
  // consecutive indexes). active fades VF in and out over a quarter second
  // instead of switching it on with a step.
  double NextSample(int64_t index, bool active);

 private:
  // Frequencies and amplitudes change slowly (over tenths of a second), so
  // they are recomputed once per block of samples, at block boundaries fixed
  // by the sample index; within a block each oscillator is a rotating phasor
  // and its amplitude a straight line, which keeps VF about as cheap as sinus.
  static constexpr int64_t kControlBlockSamples = 10;

  struct Oscillator {
    double base_hz;
    // (cos, sin) of the phase, and the rotation applied per sample.
    double cos_phase = 1.0;
    double sin_phase = 0.0;
    double rotation_cos = 1.0;
    double rotation_sin = 0.0;
    double amplitude_mv = 0.0;
    double amplitude_step_mv = 0.0;
  };

  void UpdateControls(int64_t block);
  double AmplitudeAt(double noise_offset, double t) const;

  double sample_rate_hz_;
  NoiseStream frequency_noise_;
  NoiseStream amplitude_noise_;
  std::array<Oscillator, 3> oscillators_;
  int64_t control_block_ = -1;
  double gain_ = 0.0;
};

}  // namespace pedisim::waveforms

#include "controller/waveforms/fibrillation.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace pedisim::waveforms {
namespace {

// How far each oscillator's frequency wanders from its base, and how quickly:
// bases 4.8-7.1 Hz, so the band stays within 4-8 Hz.
constexpr double kFrequencyDriftHz = 0.8;
constexpr double kFrequencyKnotS = 0.6;
// Each oscillator's amplitude wanders between these, on its own time scale, so
// that at any moment one or two dominate and the dominant one keeps changing.
constexpr double kMinAmplitudeMv = 0.05;
constexpr double kMaxAmplitudeMv = 0.55;
constexpr double kAmplitudeKnotS = 0.35;
constexpr double kFadeS = 0.25;

// Each oscillator reads the shared noise streams at its own far-apart offset
// (in knots), which makes their drifts independent.
double NoiseOffset(size_t oscillator) { return 1000.0 * static_cast<double>(oscillator + 1); }

}  // namespace

Fibrillation::Fibrillation(uint64_t seed, double sample_rate_hz)
    : sample_rate_hz_(sample_rate_hz),
      frequency_noise_(seed, NoiseStreamId::kFibrillationFrequency),
      amplitude_noise_(seed, NoiseStreamId::kFibrillationAmplitude),
      oscillators_{{{.base_hz = 4.8}, {.base_hz = 5.9}, {.base_hz = 7.1}}} {}

double Fibrillation::AmplitudeAt(double noise_offset, double t) const {
  return kMinAmplitudeMv + (kMaxAmplitudeMv - kMinAmplitudeMv) *
                               amplitude_noise_.Smooth(noise_offset + t / kAmplitudeKnotS);
}

void Fibrillation::UpdateControls(int64_t block) {
  const double block_start_s = static_cast<double>(block * kControlBlockSamples) / sample_rate_hz_;
  const double block_end_s =
      static_cast<double>((block + 1) * kControlBlockSamples) / sample_rate_hz_;
  for (size_t i = 0; i < oscillators_.size(); ++i) {
    Oscillator& oscillator = oscillators_[i];
    const double offset = NoiseOffset(i);
    const double drift =
        2.0 * frequency_noise_.Smooth(offset + block_start_s / kFrequencyKnotS) - 1.0;
    const double step_rad =
        2.0 * std::numbers::pi * (oscillator.base_hz + kFrequencyDriftHz * drift) / sample_rate_hz_;
    oscillator.rotation_cos = std::cos(step_rad);
    oscillator.rotation_sin = std::sin(step_rad);
    // Rounding makes a rotating phasor's length creep; renormalize it.
    const double length = std::hypot(oscillator.cos_phase, oscillator.sin_phase);
    oscillator.cos_phase /= length;
    oscillator.sin_phase /= length;
    oscillator.amplitude_mv = AmplitudeAt(offset, block_start_s);
    oscillator.amplitude_step_mv =
        (AmplitudeAt(offset, block_end_s) - oscillator.amplitude_mv) / kControlBlockSamples;
  }
}

double Fibrillation::NextSample(int64_t index, bool active) {
  const double fade_step = 1.0 / (kFadeS * sample_rate_hz_);
  gain_ = active ? std::min(1.0, gain_ + fade_step) : std::max(0.0, gain_ - fade_step);
  if (gain_ == 0.0) return 0.0;

  const int64_t block = index >= 0 ? index / kControlBlockSamples
                                   : (index - kControlBlockSamples + 1) / kControlBlockSamples;
  if (block != control_block_) {
    UpdateControls(block);
    control_block_ = block;
  }
  const auto within_block = static_cast<double>(index - block * kControlBlockSamples);
  double sum = 0.0;
  for (Oscillator& oscillator : oscillators_) {
    sum += (oscillator.amplitude_mv + oscillator.amplitude_step_mv * within_block) *
           oscillator.sin_phase;
    const double cos_phase = oscillator.cos_phase * oscillator.rotation_cos -
                             oscillator.sin_phase * oscillator.rotation_sin;
    oscillator.sin_phase = oscillator.sin_phase * oscillator.rotation_cos +
                           oscillator.cos_phase * oscillator.rotation_sin;
    oscillator.cos_phase = cos_phase;
  }
  return gain_ * sum;
}

}  // namespace pedisim::waveforms

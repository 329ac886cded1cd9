#include "controller/waveforms/pleth.h"

#include <algorithm>

#include "controller/waveforms/bump.h"
#include "controller/waveforms/compressions.h"
#include "controller/waveforms/sample_grid.h"

namespace pedisim::waveforms {
namespace {

// Flat line without a pulse: zero plus this much noise, never negative.
constexpr double kBaselineNoise = 0.004;
constexpr double kDicroticAmplitude = 0.18;

// R wave to pulse foot at the finger: pre-ejection period plus arterial
// transit, 150-220 ms in children, shorter at fast rates.
double PulseArrivalDelay(double rr_s) { return std::clamp(0.10 + 0.10 * rr_s, 0.15, 0.22); }

// Foot to systolic peak, 70-130 ms.
double SystolicRise(double rr_s) { return std::clamp(0.05 + 0.07 * rr_s, 0.07, 0.13); }

// 55-90 % saturation scales the pulse from 0.6 to 0.9 of full scale.
double PulseAmplitude(double spo2_pct) {
  return 0.6 + 0.3 * std::clamp((spo2_pct - 55.0) / 35.0, 0.0, 1.0);
}

// 1 at the systolic peak, falling to 0 at x = 1 with zero slope at both ends
// and the concave tail of arterial run-off: (1 - x)^4 (1 + 4x).
double Runoff(double x) {
  if (x >= 1.0) return 0.0;
  const double remaining = 1.0 - x;
  const double squared = remaining * remaining;
  return squared * squared * (1.0 + 4.0 * x);
}

}  // namespace

double PlethSynthesizer::Pulse::end_s() const {
  return std::max(foot_s + rise_s + decay_s, dicrotic_center_s + dicrotic_fall_s);
}

double PlethSynthesizer::Pulse::ValueAt(double t) const {
  if (t <= foot_s) return 0.0;
  const double peak_s = foot_s + rise_s;
  const double systolic =
      t < peak_s ? Triweight((t - peak_s) / rise_s) : Runoff((t - peak_s) / decay_s);
  const Bump dicrotic{dicrotic_center_s, dicrotic_rise_s, dicrotic_fall_s, kDicroticAmplitude};
  return amplitude * (systolic + dicrotic.ValueAt(t));
}

PlethSynthesizer::PlethSynthesizer(uint64_t seed) : noise_(seed, NoiseStreamId::kPlethBaseline) {
  pulses_.reserve(16);
}

void PlethSynthesizer::AddPulse(const VentricularBeat& beat, double spo2_pct) {
  const double rr_s = beat.rr_s;
  const double foot_s = beat.r_peak_s + PulseArrivalDelay(rr_s);
  const double rise_s = SystolicRise(rr_s);
  pulses_.push_back(Pulse{.foot_s = foot_s,
                          .rise_s = rise_s,
                          .decay_s = 0.75 * rr_s,
                          .dicrotic_center_s = foot_s + rise_s + 0.25 * rr_s,
                          .dicrotic_rise_s = 0.08 * rr_s,
                          .dicrotic_fall_s = 0.30 * rr_s,
                          .amplitude = PulseAmplitude(spo2_pct)});
}

void PlethSynthesizer::Render(int64_t first_index, std::span<float> out,
                              const CycleSpan& compressions, double compression_depth_mm) {
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t index = first_index + static_cast<int64_t>(i);
    const double t = SampleTime(index, kSampleRateHz);
    double value = kBaselineNoise * noise_.Unit(static_cast<uint64_t>(index));
    for (const Pulse& pulse : pulses_) value += pulse.ValueAt(t);
    if (compressions.moving()) {
      value += CompressionPlethPulse(compressions.PhaseAt(t), compression_depth_mm);
    }
    out[i] = static_cast<float>(std::clamp(value, 0.0, 1.0));
  }
  const double next_sample_s =
      SampleTime(first_index + static_cast<int64_t>(out.size()), kSampleRateHz);
  std::erase_if(pulses_,
                [next_sample_s](const Pulse& pulse) { return pulse.end_s() < next_sample_s; });
}

}  // namespace pedisim::waveforms

#include "controller/waveforms/breathing.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "controller/waveforms/compressions.h"
#include "controller/waveforms/sample_grid.h"

namespace pedisim::waveforms {
namespace {

// I:E of about 1:2.
constexpr double kInspiratoryFraction = 1.0 / 3.0;
// The capnogram's expiratory upstroke and inspiratory downstroke take a
// roughly fixed time (sensor response and dead-space washout), so their share
// of the breath grows with the rate; the bounds keep a plateau at any rate.
constexpr double kUpstrokeS = 0.15;
constexpr double kDownstrokeS = 0.12;
// The plateau starts slightly below end-tidal CO2 and rises to it (phase III).
constexpr double kPlateauStartFraction = 0.93;
// The respiration trace reaches end-expiration here and pauses until the next
// breath.
constexpr double kExpirationEnd = 0.9;
// Share of the capnogram that follows the compression puffs during CPR at
// 50 mm; the sum never exceeds etco2.
constexpr double kCompressionPuffShare = 0.12;

double Smoothstep(double x) { return x * x * (3.0 - 2.0 * x); }

double CosineRamp(double x) { return 0.5 - 0.5 * std::cos(std::numbers::pi * x); }

}  // namespace

double CapnogramAt(double phase, double period_s, double etco2_mmhg) {
  const double upstroke = std::clamp(kUpstrokeS / period_s, 0.04, 0.15);
  const double downstroke = std::clamp(kDownstrokeS / period_s, 0.03, 0.10);
  const double plateau_start = kInspiratoryFraction + upstroke;
  const double end_expiration = 1.0 - downstroke;
  if (phase < kInspiratoryFraction) return 0.0;
  if (phase < plateau_start) {
    return etco2_mmhg * kPlateauStartFraction *
           Smoothstep((phase - kInspiratoryFraction) / upstroke);
  }
  if (phase < end_expiration) {
    const double progress = (phase - plateau_start) / (end_expiration - plateau_start);
    return etco2_mmhg * (kPlateauStartFraction + (1.0 - kPlateauStartFraction) * progress);
  }
  return etco2_mmhg * (1.0 - Smoothstep((phase - end_expiration) / downstroke));
}

double RespirationAt(double phase) {
  if (phase < kInspiratoryFraction) return CosineRamp(phase / kInspiratoryFraction);
  if (phase < kExpirationEnd) {
    return 1.0 -
           CosineRamp((phase - kInspiratoryFraction) / (kExpirationEnd - kInspiratoryFraction));
  }
  return 0.0;
}

void RenderCapnogram(int64_t first_index, const CycleSpan& breaths, double etco2_mmhg,
                     const CycleSpan& compressions, double compression_depth_mm,
                     std::span<float> out) {
  const double puff_share =
      compressions.moving() ? kCompressionPuffShare * CompressionDepthFactor(compression_depth_mm)
                            : 0.0;
  const double etco2 = std::max(etco2_mmhg, 0.0);
  for (size_t i = 0; i < out.size(); ++i) {
    const double t = SampleTime(first_index + static_cast<int64_t>(i), kBreathingSampleRateHz);
    double mmhg =
        breaths.moving() ? CapnogramAt(breaths.PhaseAt(t), breaths.period_s(), etco2) : 0.0;
    if (puff_share > 0.0) {
      mmhg = (1.0 - puff_share) * mmhg +
             puff_share * etco2 * CompressionCo2Puff(compressions.PhaseAt(t));
    }
    out[i] = static_cast<float>(mmhg);
  }
}

void RenderRespiration(int64_t first_index, const CycleSpan& breaths, std::span<float> out) {
  for (size_t i = 0; i < out.size(); ++i) {
    const double t = SampleTime(first_index + static_cast<int64_t>(i), kBreathingSampleRateHz);
    out[i] = static_cast<float>(breaths.moving() ? RespirationAt(breaths.PhaseAt(t)) : 0.0);
  }
}

}  // namespace pedisim::waveforms

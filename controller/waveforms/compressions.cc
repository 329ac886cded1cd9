#include "controller/waveforms/compressions.h"

#include <algorithm>

#include "controller/waveforms/bump.h"

namespace pedisim::waveforms {

double CompressionDepthFactor(double depth_mm) { return std::clamp(depth_mm / 50.0, 0.0, 1.4); }

double CompressionEcgArtifact(double phase, double depth_mm) {
  const double amplitude_mv = std::min(2.0, 1.5 * CompressionDepthFactor(depth_mm));
  const double downstroke = Triweight((phase - 0.28) / 0.28);
  const double release = Triweight((phase - 0.75) / 0.22);
  return amplitude_mv * (downstroke - 0.35 * release);
}

double CompressionPlethPulse(double phase, double depth_mm) {
  return 0.25 * CompressionDepthFactor(depth_mm) * Triweight((phase - 0.5) / 0.38);
}

double CompressionCo2Puff(double phase) { return Triweight((phase - 0.45) / 0.4); }

}  // namespace pedisim::waveforms

#pragma once

// Deterministic noise for the engine's numerics and the waveforms. Every random value is a pure function
// of (seed, stream, index), "counter-based" noise: a sample's noise does not
// depend on how the run was cut into calls, and no std:: distribution is
// involved (their output differs between standard library implementations).

#include <cmath>
#include <cstdint>

namespace pedisim {

// The SplitMix64 output function: a fast 64-bit mixer whose output for
// consecutive counters passes common statistical test batteries.
constexpr uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Identifies what a noise stream is used for, so that streams sharing one seed
// are independent of each other.
enum class NoiseStreamId : uint64_t {
  kEcgBaseline = 1,
  kPlethBaseline = 2,
  kFibrillationFrequency = 3,
  kFibrillationAmplitude = 4,
  kTorsadesSpindle = 5,
  // Whether a shock ends the rhythm: one draw per attempt (State.shock_odds).
  kShockOutcome = 6,
  // One stream per numeric vital: kNumerics + its index in VitalFields().
  kNumerics = 100,
};

class NoiseStream {
 public:
  NoiseStream(uint64_t seed, NoiseStreamId stream)
      : key_(SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(stream)))) {}

  // Uniform in [0, 1), from the top 53 bits of the mixed counter.
  double Unit(uint64_t index) const {
    return static_cast<double>(SplitMix64(key_ + index * 0x9e3779b97f4a7c15ULL) >> 11) * 0x1.0p-53;
  }

  // Uniform in [-1, 1).
  double Signed(uint64_t index) const { return 2.0 * Unit(index) - 1.0; }

  // Smooth value noise in [0, 1): independent values at integer positions,
  // joined by smoothstep so that the curve and its slope are continuous.
  double Smooth(double position) const {
    const double knot = std::floor(position);
    const double fraction = position - knot;
    const double blend = fraction * fraction * (3.0 - 2.0 * fraction);
    const auto index = static_cast<uint64_t>(static_cast<int64_t>(knot));
    return Unit(index) + (Unit(index + 1) - Unit(index)) * blend;
  }

 private:
  uint64_t key_;
};

}  // namespace pedisim

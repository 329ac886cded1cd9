#ifndef PEDISIM_CONTROLLER_ENGINE_VALUE_NOISE_H_
#define PEDISIM_CONTROLLER_ENGINE_VALUE_NOISE_H_

#include <cmath>
#include <cstdint>

namespace pedisim::engine {

// Smooth, seeded noise in [-1, 1]: random values at whole seconds joined by
// straight lines, so numerics wander like a monitor's rather than flicker.
// Integer hashing only, so every platform gives the same numbers.
inline uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

inline double ValueNoise(uint64_t seed, int channel, double time_s) {
  const double floor_s = std::floor(time_s);
  const auto second = static_cast<uint64_t>(static_cast<int64_t>(floor_s));
  auto at = [&](uint64_t s) {
    const uint64_t bits = Mix(seed ^ Mix(s * 64 + static_cast<uint64_t>(channel)));
    return static_cast<double>(bits >> 11) / static_cast<double>(1ull << 53) * 2 - 1;
  };
  const double fraction = time_s - floor_s;
  return at(second) * (1 - fraction) + at(second + 1) * fraction;
}

}  // namespace pedisim::engine

#endif  // PEDISIM_CONTROLLER_ENGINE_VALUE_NOISE_H_

#pragma once

// Smooth, compactly supported bumps: the building blocks of ECG waves, pleth
// pulses and the CPR artifact.

#include <vector>

namespace pedisim::waveforms {

// (1 - x^2)^3 on (-1, 1), zero outside: the triweight kernel. Gaussian-like and
// smooth (continuous slope and curvature), but exactly zero outside its support,
// so a wave adds nothing before it starts (beats scheduled by a later call can
// never change samples already sent) and each sample sums only a few terms.
inline double Triweight(double x) {
  if (x <= -1.0 || x >= 1.0) return 0.0;
  const double s = 1.0 - x * x;
  return s * s * s;
}

// A triweight bump with separate half-widths before and after its peak, so
// that waves such as the T wave can rise slower than they fall.
struct Bump {
  double center_s = 0;
  double rise_s = 0;  // half-width before the peak
  double fall_s = 0;  // half-width after the peak
  double amplitude = 0;

  double start_s() const { return center_s - rise_s; }
  double end_s() const { return center_s + fall_s; }

  double ValueAt(double t) const {
    if (t <= start_s() || t >= end_s()) return 0.0;
    const double x = (t - center_s) / (t < center_s ? rise_s : fall_s);
    return amplitude * Triweight(x);
  }
};

inline Bump SymmetricBump(double center_s, double half_width_s, double amplitude) {
  return Bump{center_s, half_width_s, half_width_s, amplitude};
}

inline double SumAt(const std::vector<Bump>& bumps, double t) {
  double sum = 0.0;
  for (const Bump& bump : bumps) sum += bump.ValueAt(t);
  return sum;
}

}  // namespace pedisim::waveforms

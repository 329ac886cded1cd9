#pragma once

// Where the samples of a waveform sit in simulated time.
//
// Sample n of a waveform sampled at rate r is taken at exactly n / r seconds;
// a call covering [start, end) owns the samples with start <= n / r < end.
// Times are derived from integer indexes, never accumulated, so they cannot
// drift, and rates such as 62.5 Hz that do not divide the 0.1 s step evenly
// simply give chunks of alternating length (6 and 7 samples).

#include <cmath>
#include <cstdint>

namespace pedisim::waveforms {

// Caller times are sums of 0.1 s steps and carry rounding error; a fraction of
// a sample this small is treated as "on the boundary" so that the end of one
// step and the start of the next select the same index.
inline constexpr double kSampleIndexTolerance = 1e-6;

// The first sample index whose time is >= time_s.
inline int64_t FirstSampleAtOrAfter(double time_s, double rate_hz) {
  return static_cast<int64_t>(std::ceil(time_s * rate_hz - kSampleIndexTolerance));
}

inline double SampleTime(int64_t index, double rate_hz) {
  return static_cast<double>(index) / rate_hz;
}

}  // namespace pedisim::waveforms

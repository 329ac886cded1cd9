// One waveform as a patient monitor sweeps it: a write head moves left to
// right across a fixed window of time and overwrites the previous sweep,
// with a small erased gap ahead of the head. Pure logic, no drawing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace pedisim::dashboard {

class SweepBuffer {
 public:
  // A window of `window_s` seconds; the sample rate comes with the data.
  explicit SweepBuffer(double window_s = 8.0, double gap_s = 0.25);

  // Appends consecutive samples whose first is at `start_s` (simulated
  // seconds). A new rate, or a jump back in time (a replay seek), starts a
  // fresh sweep; a jump forward leaves the skipped part empty.
  void Append(double start_s, double sample_rate_hz, std::span<const float> samples);
  // Changes the window (the trace's width in seconds); clears the trace.
  void SetWindow(double window_s);
  void Clear();

  double window_s() const { return window_s_; }
  double sample_rate_hz() const { return sample_rate_hz_; }
  // Slots across the window (window x rate); 0 before the first sample.
  size_t slot_count() const { return slots_.size(); }
  // The value shown at a slot, or nothing where the trace is blank (never
  // written, or erased ahead of the head).
  std::optional<float> At(size_t slot) const;
  // Where the head is, 0..1 across the window; 0 before the first sample.
  double head_fraction() const;
  // Simulated time of the newest sample, or a negative value if none.
  double latest_time_s() const { return latest_time_s_; }
  // Seconds of trace received since the sweep (re)started, up to the window.
  double seconds_shown() const;
  // Lowest and highest value currently shown (for autoscaling).
  bool Range(float& low, float& high) const;

 private:
  void Reset(double sample_rate_hz);

  double window_s_;
  double gap_s_;
  double sample_rate_hz_ = 0;
  // Absolute sample index (time x rate) of the next sample expected.
  int64_t next_index_ = -1;
  double latest_time_s_ = -1;
  int64_t samples_seen_ = 0;
  std::vector<float> slots_;
  std::vector<uint8_t> written_;
};

}  // namespace pedisim::dashboard

#include "model/sweep_buffer.h"

#include <algorithm>
#include <cmath>

namespace pedisim::dashboard {

SweepBuffer::SweepBuffer(double window_s, double gap_s) : window_s_(window_s), gap_s_(gap_s) {}

void SweepBuffer::Reset(double sample_rate_hz) {
  sample_rate_hz_ = sample_rate_hz;
  const auto slots = static_cast<size_t>(std::max(1.0, std::round(window_s_ * sample_rate_hz)));
  slots_.assign(slots, 0.0f);
  written_.assign(slots, 0);
  next_index_ = -1;
  latest_time_s_ = -1;
  samples_seen_ = 0;
}

void SweepBuffer::SetWindow(double window_s) {
  if (window_s == window_s_) return;
  window_s_ = window_s;
  if (sample_rate_hz_ > 0) Reset(sample_rate_hz_);
}

void SweepBuffer::Clear() {
  if (sample_rate_hz_ > 0) Reset(sample_rate_hz_);
}

void SweepBuffer::Append(double start_s, double sample_rate_hz, std::span<const float> samples) {
  if (samples.empty() || sample_rate_hz <= 0) return;
  if (sample_rate_hz != sample_rate_hz_) Reset(sample_rate_hz);
  const auto first_index = static_cast<int64_t>(std::llround(start_s * sample_rate_hz));
  if (next_index_ >= 0 && first_index < next_index_) Reset(sample_rate_hz);  // went back: a seek
  const auto slot_count = static_cast<int64_t>(slots_.size());
  // Samples skipped by a jump forward are blank, not stale.
  if (next_index_ >= 0) {
    const int64_t blank_until = std::min(first_index, next_index_ + slot_count);
    for (int64_t index = next_index_; index < blank_until; ++index)
      written_[index % slot_count] = 0;
  }
  for (size_t i = 0; i < samples.size(); ++i) {
    const int64_t slot = (first_index + static_cast<int64_t>(i)) % slot_count;
    slots_[slot] = samples[i];
    written_[slot] = 1;
  }
  next_index_ = first_index + static_cast<int64_t>(samples.size());
  samples_seen_ += static_cast<int64_t>(samples.size());
  latest_time_s_ = static_cast<double>(next_index_ - 1) / sample_rate_hz;
}

std::optional<float> SweepBuffer::At(size_t slot) const {
  if (slot >= slots_.size() || !written_[slot]) return std::nullopt;
  // The erased gap: the slots the head is about to overwrite.
  const auto slot_count = static_cast<int64_t>(slots_.size());
  const int64_t head = next_index_ % slot_count;
  const auto gap = static_cast<int64_t>(gap_s_ * sample_rate_hz_);
  const int64_t ahead = (static_cast<int64_t>(slot) - head + slot_count) % slot_count;
  if (ahead < gap) return std::nullopt;
  return slots_[slot];
}

double SweepBuffer::head_fraction() const {
  if (slots_.empty() || next_index_ < 0) return 0;
  const auto slot_count = static_cast<int64_t>(slots_.size());
  return static_cast<double>(next_index_ % slot_count) / static_cast<double>(slot_count);
}

double SweepBuffer::seconds_shown() const {
  if (sample_rate_hz_ <= 0) return 0;
  return static_cast<double>(
             std::min<int64_t>(samples_seen_, static_cast<int64_t>(slots_.size()))) /
         sample_rate_hz_;
}

bool SweepBuffer::Range(float& low, float& high) const {
  bool any = false;
  for (size_t slot = 0; slot < slots_.size(); ++slot) {
    if (!written_[slot]) continue;
    low = any ? std::min(low, slots_[slot]) : slots_[slot];
    high = any ? std::max(high, slots_[slot]) : slots_[slot];
    any = true;
  }
  return any;
}

}  // namespace pedisim::dashboard

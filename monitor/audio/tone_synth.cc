#include "monitor/audio/tone_synth.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace pedisim::monitor {

namespace {
// Relative levels of the harmonics 1, 3, 5, 7, 9 (reference monitor.md
// §1b, the public IEC 60601-1-8 generator M3).
constexpr std::array<float, 5> kHarmonicLevels = {1.0f, 0.85f, 0.6f, 0.5f, 0.4f};
constexpr double kRiseFraction = 0.15;
}  // namespace

const std::vector<PulseTiming>& BurstPattern(AlarmPriority priority) {
  // High: pulses of 150 ms (t_d 75-200 ms) spaced 100 ms (t_s 50-125 ms),
  // a longer space between the 3 and the 2, and 700 ms between pulse 5 and
  // 6 (350-1300 ms). Medium: 3 pulses of 200 ms spaced 200 ms (125-250 ms
  // each). Low: 1 pulse of 200 ms. Reference monitor.md §1b.
  static const std::vector<PulseTiming> kHigh = [] {
    std::vector<PulseTiming> pulses;
    double t = 0;
    for (int half = 0; half < 2; ++half) {
      for (int i = 0; i < 5; ++i) {
        pulses.push_back({t, 0.150});
        t += 0.150 + (i == 2 ? 0.250 : 0.100);
      }
      t += 0.700 - 0.100;
    }
    return pulses;
  }();
  static const std::vector<PulseTiming> kMedium = {{0, 0.2}, {0.4, 0.2}, {0.8, 0.2}};
  static const std::vector<PulseTiming> kLow = {{0, 0.2}};
  switch (priority) {
    case AlarmPriority::kHigh:
      return kHigh;
    case AlarmPriority::kMedium:
      return kMedium;
    case AlarmPriority::kLow:
      return kLow;
  }
  return kLow;
}

double BurstRepeatS(AlarmPriority priority) {
  // Inter-burst: high 2.5-15 s, medium 2.5-30 s, low 15 s or more
  // (reference monitor.md §1b); Edan X8 uses 10 s for high.
  switch (priority) {
    case AlarmPriority::kHigh:
      return 8;
    case AlarmPriority::kMedium:
      return 15;
    case AlarmPriority::kLow:
      return 30;
  }
  return 30;
}

double PulseToneHz(double spo2_pct) {
  return 163 + (662 - 163) * std::clamp(spo2_pct, 0.0, 100.0) / 100;
}

ToneSynth::ToneSynth(int sample_rate_hz) : sample_rate_hz_(sample_rate_hz) {}

void ToneSynth::SetAlarm(std::optional<AlarmPriority> priority) {
  std::lock_guard lock(mu_);
  if (priority == alarm_) return;
  alarm_ = priority;
  alarm_changed_ = true;
}

void ToneSynth::Beep(double spo2_pct) {
  std::lock_guard lock(mu_);
  tones_.push_back({.start = position_,
                    .duration = static_cast<int64_t>(kPulseToneS * sample_rate_hz_),
                    .f0_hz = PulseToneHz(spo2_pct),
                    .alarm = false});
}

void ToneSynth::PlayClip(std::vector<float> samples) {
  std::lock_guard lock(mu_);
  clip_ = std::move(samples);
  clip_start_ = position_;
}

void ToneSynth::StartChargeTone(double charge_time_s) {
  std::lock_guard lock(mu_);
  charge_start_ = position_;
  charge_samples_ = std::max<int64_t>(1, static_cast<int64_t>(charge_time_s * sample_rate_hz_));
  charge_phase_ = 0;
}

void ToneSynth::StopChargeTone() {
  std::lock_guard lock(mu_);
  charge_start_.reset();
}

void ToneSynth::SetMetronome(std::optional<double> per_minute) {
  std::lock_guard lock(mu_);
  if (per_minute == metronome_per_minute_) return;
  metronome_per_minute_ = per_minute;
  next_click_ = static_cast<double>(position_);
}

void ToneSynth::SetVolume(double volume) {
  std::lock_guard lock(mu_);
  volume_ = std::clamp(volume, 0.0, 1.0);
}

void ToneSynth::SetMuted(bool muted) {
  std::lock_guard lock(mu_);
  muted_ = muted;
}

void ToneSynth::ScheduleBurstLocked(int64_t at) {
  for (const PulseTiming& pulse : BurstPattern(*alarm_)) {
    tones_.push_back({.start = at + static_cast<int64_t>(pulse.start_s * sample_rate_hz_),
                      .duration = static_cast<int64_t>(pulse.duration_s * sample_rate_hz_),
                      .f0_hz = kAlarmFundamentalHz,
                      .alarm = true});
  }
  next_burst_ = at + static_cast<int64_t>(BurstRepeatS(*alarm_) * sample_rate_hz_);
}

float ToneSynth::SampleLocked(const Tone& tone, int64_t index) const {
  const int64_t offset = index - tone.start;
  if (offset < 0 || offset >= tone.duration) return 0;
  const double t = static_cast<double>(offset) / sample_rate_hz_;
  const double duration_s = static_cast<double>(tone.duration) / sample_rate_hz_;
  const double ramp_s = duration_s * kRiseFraction;
  const double envelope = std::min({1.0, t / ramp_s, (duration_s - t) / ramp_s});
  double value = 0;
  if (tone.alarm) {
    double norm = 0;
    for (size_t h = 0; h < kHarmonicLevels.size(); ++h) {
      const double harmonic = 2.0 * static_cast<double>(h) + 1;
      value += kHarmonicLevels[h] * std::sin(2 * std::numbers::pi * tone.f0_hz * harmonic * t);
      norm += kHarmonicLevels[h];
    }
    value /= norm;
  } else {
    value = std::sin(2 * std::numbers::pi * tone.f0_hz * t);
  }
  return static_cast<float>(value * envelope);
}

void ToneSynth::Render(int16_t* samples, int count) {
  std::lock_guard lock(mu_);
  if (alarm_changed_) {
    alarm_changed_ = false;
    // A burst sounding now stops (acknowledged, paused or a new priority).
    std::erase_if(tones_, [&](const Tone& tone) { return tone.alarm; });
    if (alarm_) ScheduleBurstLocked(position_);
  } else if (alarm_ && position_ >= next_burst_) {
    ScheduleBurstLocked(position_);
  }
  if (metronome_per_minute_ && *metronome_per_minute_ > 0) {
    const double period = 60.0 / *metronome_per_minute_ * sample_rate_hz_;
    while (next_click_ < static_cast<double>(position_ + count)) {
      tones_.push_back({.start = static_cast<int64_t>(next_click_),
                        .duration = static_cast<int64_t>(kMetronomeClickS * sample_rate_hz_),
                        .f0_hz = kMetronomeHz,
                        .alarm = false});
      next_click_ += period;
    }
  }
  const double gain = muted_ ? 0 : volume_ * 0.8 * 32767;
  for (int i = 0; i < count; ++i) {
    const int64_t index = position_ + i;
    float value = 0;
    for (const Tone& tone : tones_) value += SampleLocked(tone, index);
    if (charge_start_ && index >= *charge_start_) {
      const double rise = std::min(
          1.0, static_cast<double>(index - *charge_start_) / static_cast<double>(charge_samples_));
      const double hz = kChargeToneLowHz + (kChargeToneHighHz - kChargeToneLowHz) * rise;
      charge_phase_ += 2 * std::numbers::pi * hz / sample_rate_hz_;
      if (charge_phase_ > 2 * std::numbers::pi) charge_phase_ -= 2 * std::numbers::pi;
      value += static_cast<float>(0.5 * std::sin(charge_phase_));
    }
    if (const int64_t at = index - clip_start_;
        at >= 0 && at < static_cast<int64_t>(clip_.size())) {
      value += clip_[static_cast<size_t>(at)];
    }
    samples[i] = static_cast<int16_t>(std::clamp(value * gain, -32767.0, 32767.0));
  }
  position_ += count;
  if (!clip_.empty() && position_ - clip_start_ >= static_cast<int64_t>(clip_.size()))
    clip_.clear();
  std::erase_if(tones_, [&](const Tone& tone) { return tone.start + tone.duration <= position_; });
}

}  // namespace pedisim::monitor

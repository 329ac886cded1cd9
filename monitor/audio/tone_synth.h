#pragma once

// The monitor's sounds, synthesised sample by sample (docs/monitor.md):
//  - alarm bursts in the IEC 60601-1-8 patterns: high = 10 pulses heard as
//    3 + 2, pause, 3 + 2, repeated; medium = 3 pulses; low = 1 pulse. Each
//    pulse a 400 Hz fundamental with harmonics 3, 5, 7 and 9 (so at least
//    four harmonics within 300-4000 Hz, as IEC asks), with 15 % rise and
//    fall (reference monitor.md §1b);
//  - the SpO2 pulse tone: one short beep per detected pulse whose pitch
//    falls as saturation falls, linearly from 662 Hz at 100 % to 163 Hz at
//    0 % (Philips, reference monitor.md §2, M25).
//  - the defibrillator's charge tone, rising while it charges and steady
//    once charged, and a CPR metronome's clicks [model: see below].
// Pure arithmetic with no SDL: SDL's audio callback calls Render.

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "monitor/alarms/alarm_rules.h"

namespace pedisim::monitor {

struct PulseTiming {
  double start_s;  // from the burst's start
  double duration_s;
};

// One burst of `priority`: its pulses' timing.
const std::vector<PulseTiming>& BurstPattern(AlarmPriority priority);
// Seconds from one burst's start to the next.
double BurstRepeatS(AlarmPriority priority);
inline constexpr double kAlarmFundamentalHz = 400;
// The SpO2 pulse tone's pitch at `spo2_pct`.
double PulseToneHz(double spo2_pct);
inline constexpr double kPulseToneS = 0.08;
// The charge tone [model]: defibrillators sound a tone that rises while the
// capacitor charges and a steady "charge ready" tone until the shock or the
// charge is dumped; no source the project has gives their pitches, so an
// octave, 440 to 880 Hz, keeps both clear of the 400 Hz alarms' fundamental
// and the pulse tone's pitches.
inline constexpr double kChargeToneLowHz = 440;
inline constexpr double kChargeToneHighHz = 880;
// A CPR metronome click [model]: 30 ms at 1000 Hz.
inline constexpr double kMetronomeClickS = 0.03;
inline constexpr double kMetronomeHz = 1000;

class ToneSynth {
 public:
  explicit ToneSynth(int sample_rate_hz);

  // The UI's side (thread-safe). The alarm burst to repeat; a change starts
  // the new burst at once, none stops any burst sounding now.
  void SetAlarm(std::optional<AlarmPriority> priority);
  // One pulse tone, now.
  void Beep(double spo2_pct);
  // Recorded sound at this synth's rate (-1..1), played from now: a
  // spoken prompt. A new clip replaces one still playing.
  void PlayClip(std::vector<float> samples);
  // 0..1 of full scale; muted = silence whatever the volume.
  // The charge tone from now: rising over `charge_time_s`, then steady until
  // StopChargeTone (the shock, or the charge dumped).
  void StartChargeTone(double charge_time_s);
  void StopChargeTone();
  // Metronome clicks at `per_minute` from now; nullopt stops them.
  void SetMetronome(std::optional<double> per_minute);
  void SetVolume(double volume);
  void SetMuted(bool muted);

  // The audio thread's side: the next `count` mono samples.
  void Render(int16_t* samples, int count);

 private:
  struct Tone {
    int64_t start;     // sample index
    int64_t duration;  // samples
    double f0_hz;
    bool alarm;
  };
  void ScheduleBurstLocked(int64_t at);
  float SampleLocked(const Tone& tone, int64_t index) const;

  const int sample_rate_hz_;
  std::mutex mu_;
  int64_t position_ = 0;  // samples rendered so far
  std::optional<AlarmPriority> alarm_;
  bool alarm_changed_ = false;
  int64_t next_burst_ = 0;
  std::vector<Tone> tones_;
  std::vector<float> clip_;
  int64_t clip_start_ = 0;
  // The charge tone: when it started (a sample index; none when silent),
  // how long it rises, and its phase (its pitch glides, so the phase is
  // carried from sample to sample rather than computed from time).
  std::optional<int64_t> charge_start_;
  int64_t charge_samples_ = 1;
  double charge_phase_ = 0;
  std::optional<double> metronome_per_minute_;
  double next_click_ = 0;  // sample index, fractional so that the rate holds
  double volume_ = 0.5;
  bool muted_ = false;
};

}  // namespace pedisim::monitor

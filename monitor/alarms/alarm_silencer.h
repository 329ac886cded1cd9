#pragma once

// Acknowledge and audio pause, as bedside monitors do them (reference
// monitor.md §1c, docs/monitor.md): acknowledging stops the sound of the
// alarms sounding now while their visual signals stay, and an alarm that
// starts later sounds; the audio pause silences every alarm for 2 minutes
// (Dräger Infinity, Masimo Root default 120 s) with a countdown, except a
// new alarm of higher priority than any sounding when it was paused, which
// still sounds (Dräger).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "monitor/alarms/alarm_rules.h"

namespace pedisim::monitor {

class AlarmSilencer {
 public:
  static constexpr double kAudioPauseS = 120;

  // The alarms now: an acknowledgement ends with its alarm's condition.
  void Update(const std::vector<Alarm>& alarms, double now_s);

  // Acknowledges the alarms sounding; returns what they were ("HR HIGH,
  // SpO2 LOW"), empty when none was.
  std::string Acknowledge();
  // Pauses alarm audio for kAudioPauseS (again while paused: resumes);
  // returns what was sounding.
  std::string ToggleAudioPause(double now_s);

  bool AudioPaused(double now_s) const;
  double PauseLeftS(double now_s) const;
  bool Acknowledged(const std::string& id) const { return acknowledged_.contains(id); }
  // The burst to sound now: the highest priority of the alarms neither
  // acknowledged nor paused; none for silence.
  std::optional<AlarmPriority> Sounding(double now_s) const;

 private:
  std::string SoundingNames(double now_s) const;

  std::vector<Alarm> alarms_;
  std::set<std::string> acknowledged_;
  std::optional<double> paused_until_s_;
  // The highest priority sounding when the pause began.
  std::optional<AlarmPriority> paused_priority_;
};

}  // namespace pedisim::monitor

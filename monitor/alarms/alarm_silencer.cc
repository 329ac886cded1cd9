#include "monitor/alarms/alarm_silencer.h"

#include <algorithm>

namespace pedisim::monitor {

void AlarmSilencer::Update(const std::vector<Alarm>& alarms, double now_s) {
  alarms_ = alarms;
  std::erase_if(acknowledged_, [&](const std::string& id) {
    return std::none_of(alarms_.begin(), alarms_.end(),
                        [&](const Alarm& alarm) { return alarm.id == id; });
  });
  if (paused_until_s_ && now_s >= *paused_until_s_) {
    paused_until_s_.reset();
    paused_priority_.reset();
  }
}

std::string AlarmSilencer::SoundingNames(double now_s) const {
  std::string names;
  for (const Alarm& alarm : alarms_) {
    if (acknowledged_.contains(alarm.id)) continue;
    if (AudioPaused(now_s) && paused_priority_ && alarm.priority <= *paused_priority_) continue;
    names += (names.empty() ? "" : ", ") + alarm.id;
  }
  return names;
}

std::string AlarmSilencer::Acknowledge() {
  std::string names;
  for (const Alarm& alarm : alarms_) {
    if (acknowledged_.insert(alarm.id).second) names += (names.empty() ? "" : ", ") + alarm.id;
  }
  return names;
}

std::string AlarmSilencer::ToggleAudioPause(double now_s) {
  if (AudioPaused(now_s)) {
    paused_until_s_.reset();
    paused_priority_.reset();
    return "";
  }
  const std::string names = SoundingNames(now_s);
  paused_until_s_ = now_s + kAudioPauseS;
  // Only an alarm above what was present then breaks through. Paused with
  // nothing alarming (before a procedure), everything stays silent.
  paused_priority_.reset();
  for (const Alarm& alarm : alarms_) {
    if (!paused_priority_ || alarm.priority > *paused_priority_) paused_priority_ = alarm.priority;
  }
  if (!paused_priority_) paused_priority_ = AlarmPriority::kHigh;
  return names;
}

bool AlarmSilencer::AudioPaused(double now_s) const {
  return paused_until_s_ && now_s < *paused_until_s_;
}

double AlarmSilencer::PauseLeftS(double now_s) const {
  return AudioPaused(now_s) ? *paused_until_s_ - now_s : 0;
}

std::optional<AlarmPriority> AlarmSilencer::Sounding(double now_s) const {
  std::optional<AlarmPriority> sounding;
  for (const Alarm& alarm : alarms_) {
    if (acknowledged_.contains(alarm.id)) continue;
    if (AudioPaused(now_s) && paused_priority_ && alarm.priority <= *paused_priority_) continue;
    if (!sounding || alarm.priority > *sounding) sounding = alarm.priority;
  }
  return sounding;
}

}  // namespace pedisim::monitor

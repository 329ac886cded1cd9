#include "model/alarm_tracker.h"

#include <algorithm>

namespace pedisim::dashboard {

void AlarmTracker::Update(const std::vector<std::string>& alarming) {
  std::map<std::string, bool> next;
  for (const std::string& vital : alarming) {
    const auto previous = states_.find(vital);
    next[vital] = previous != states_.end() && previous->second;
  }
  states_ = std::move(next);
}

void AlarmTracker::Acknowledge() {
  for (auto& [vital, acknowledged] : states_) acknowledged = true;
}

void AlarmTracker::Silence(double now_s) { silenced_until_s_ = now_s + kSilenceS; }

AlarmLook AlarmTracker::Look(const std::string& vital, double now_s) const {
  const auto state = states_.find(vital);
  if (state == states_.end()) return AlarmLook::kNone;
  if (state->second || Silenced(now_s)) return AlarmLook::kSteady;
  return AlarmLook::kFlashing;
}

bool AlarmTracker::AnyUnacknowledged() const {
  return std::any_of(states_.begin(), states_.end(),
                     [](const auto& entry) { return !entry.second; });
}

double AlarmTracker::SilenceLeft(double now_s) const {
  return Silenced(now_s) ? silenced_until_s_ - now_s : 0;
}

}  // namespace pedisim::dashboard

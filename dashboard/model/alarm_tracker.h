// What the monitor's alarms look like: a parameter beyond its age band's
// alarm limits flashes until an instructor acknowledges it, then stays lit
// until it is back within limits; a new crossing flashes again. Silence
// stops the flashing of every alarm for a while (as a monitor's "audio
// paused" does) without hiding which parameters alarm. Pure logic, driven
// by the controller's VitalsSample.alarming and a clock in seconds.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pedisim::dashboard {

enum class AlarmLook {
  kNone,      // within limits
  kSteady,    // alarming, acknowledged or silenced
  kFlashing,  // alarming, not acknowledged, not silenced (the most urgent)
};

class AlarmTracker {
 public:
  // How long Silence() lasts, like a monitor's two-minute audio pause.
  static constexpr double kSilenceS = 120;

  // The parameters alarming now (Vitals field names).
  void Update(const std::vector<std::string>& alarming);
  // Every alarm flashing now becomes steady.
  void Acknowledge();
  void Silence(double now_s);

  AlarmLook Look(const std::string& vital, double now_s) const;
  bool AnyAlarming() const { return !states_.empty(); }
  bool AnyUnacknowledged() const;
  bool Silenced(double now_s) const { return now_s < silenced_until_s_; }
  double SilenceLeft(double now_s) const;

 private:
  // Only alarming parameters are present; true when acknowledged.
  std::map<std::string, bool> states_;
  double silenced_until_s_ = -1;
};

}  // namespace pedisim::dashboard

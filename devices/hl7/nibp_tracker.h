#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "devices/hl7/oru_message.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::devices::hl7 {

// Non-invasive blood pressure is a measurement, not a stream: the session's
// numerics always carry the patient's pressures, but a monitor only has a
// reading after the cuff has measured. This follows the measurements from
// the updates a device receives: an ACTION_KIND_NIBP_MEASUREMENT event
// (the monitor's NIBP key or its interval) starts one; the reading is the
// pressures of the first numerics at or after its end (the monitor's own
// duration, core/vitals/nibp_cycle.h), taken at the wall time those
// numerics arrived. Numerics without NIBP then (no pulse) make a failed
// measurement: no reading. Cancelling it (ACTION_KIND_NIBP_CANCELLED, the
// NIBP key pressed again) or taking the cuff off ends it without one.
class NibpTracker {
 public:
  void OnUpdate(const v1::SessionUpdate& update, std::chrono::system_clock::time_point now);
  // The reading of a measurement that ended since the last call; once.
  std::optional<NibpReading> TakeNew();
  // Measurements that gave a reading so far.
  uint64_t readings() const { return readings_; }

 private:
  double age_years_ = 0;
  std::optional<double> ends_at_s_;  // session time the running measurement ends
  std::optional<NibpReading> unsent_;
  uint64_t readings_ = 0;
};

}  // namespace pedisim::devices::hl7

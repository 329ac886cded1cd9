#include "devices/hl7/nibp_tracker.h"

#include <utility>

#include "core/patient/patient_size.h"
#include "core/vitals/nibp_cycle.h"

namespace pedisim::devices::hl7 {

void NibpTracker::OnUpdate(const v1::SessionUpdate& update,
                           std::chrono::system_clock::time_point now) {
  if (update.has_snapshot()) {
    age_years_ = patient::AgeInYears(update.snapshot().patient());
  } else if (update.has_event() && update.event().has_action()) {
    const v1::Event& event = update.event();
    const v1::LearnerAction& action = event.action();
    if (action.kind() == v1::ACTION_KIND_NIBP_MEASUREMENT && !ends_at_s_) {
      // When the monitor sensed the key, when known: the cuff started then.
      const double started_s =
          event.has_sensed_sim_time_s() ? event.sensed_sim_time_s() : event.sim_time_s();
      ends_at_s_ = started_s + vitals::NibpMeasurementDurationS(age_years_);
    } else if (action.kind() == v1::ACTION_KIND_NIBP_CANCELLED ||
               (action.kind() == v1::ACTION_KIND_SENSOR_REMOVED &&
                action.sensor() == v1::MONITOR_SENSOR_NIBP_CUFF)) {
      ends_at_s_.reset();
    }
  } else if (update.has_vitals() && ends_at_s_ && update.vitals().sim_time_s() >= *ends_at_s_) {
    ends_at_s_.reset();
    const v1::Vitals& vitals = update.vitals().vitals();
    if (!vitals.has_nibp_systolic_mmhg() || !vitals.has_nibp_diastolic_mmhg()) return;
    NibpReading reading;
    reading.values.set_nibp_systolic_mmhg(vitals.nibp_systolic_mmhg());
    reading.values.set_nibp_diastolic_mmhg(vitals.nibp_diastolic_mmhg());
    if (vitals.has_nibp_mean_mmhg()) reading.values.set_nibp_mean_mmhg(vitals.nibp_mean_mmhg());
    reading.taken_at = now;
    unsent_ = reading;
    ++readings_;
  }
}

std::optional<NibpReading> NibpTracker::TakeNew() { return std::exchange(unsent_, std::nullopt); }

}  // namespace pedisim::devices::hl7

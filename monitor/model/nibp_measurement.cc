#include "monitor/model/nibp_measurement.h"

#include <algorithm>
#include <cmath>

#include "core/vitals/nibp_cycle.h"

namespace pedisim::monitor {

namespace {
// Inflation target (reference monitor.md §3: 100 mmHg neonate, 160 mmHg
// adult/pediatric, IRadimed), and the deflation in steps.
double InflationTargetMmhg(double age_years) { return age_years < 1.0 / 12 ? 100 : 160; }
constexpr int kDeflationSteps = 10;
}  // namespace

double NibpMeasurement::DurationS(double age_years) {
  return vitals::NibpMeasurementDurationS(age_years);
}

bool NibpMeasurement::Start(double now_s, double age_years) {
  if (started_at_s_) return false;
  started_at_s_ = now_s;
  duration_s_ = DurationS(age_years);
  inflation_target_mmhg_ = InflationTargetMmhg(age_years);
  return true;
}

void NibpMeasurement::Cancel() { started_at_s_.reset(); }

NibpMeasurement::Step NibpMeasurement::Update(double now_s, const v1::Vitals* vitals,
                                              double age_years) {
  if (!started_at_s_) {
    if (interval_s_ > 0 && now_s >= next_auto_s_) {
      Start(now_s, age_years);
      next_auto_s_ = now_s + interval_s_;
      return Step::kAutoStarted;
    }
    return Step::kNothing;
  }
  if (now_s < *started_at_s_ + duration_s_) return Step::kNothing;
  started_at_s_.reset();
  if (vitals == nullptr || !vitals->has_nibp_systolic_mmhg() ||
      !vitals->has_nibp_diastolic_mmhg()) {
    failed_ = true;
    return Step::kFinished;
  }
  failed_ = false;
  NibpReading reading;
  reading.systolic_mmhg = vitals->nibp_systolic_mmhg();
  reading.diastolic_mmhg = vitals->nibp_diastolic_mmhg();
  // The oscillometric mean is measured; without it, the usual estimate.
  reading.mean_mmhg =
      vitals->has_nibp_mean_mmhg()
          ? vitals->nibp_mean_mmhg()
          : reading.diastolic_mmhg + (reading.systolic_mmhg - reading.diastolic_mmhg) / 3;
  reading.taken_at_s = now_s;
  reading_ = reading;
  return Step::kFinished;
}

void NibpMeasurement::SetIntervalS(double interval_s, double now_s) {
  interval_s_ = std::max(0.0, interval_s);
  next_auto_s_ = now_s + interval_s_;
}

std::optional<double> NibpMeasurement::NextInS(double now_s) const {
  if (interval_s_ <= 0) return std::nullopt;
  return std::max(0.0, next_auto_s_ - now_s);
}

double NibpMeasurement::CuffPressureMmhg(double now_s) const {
  if (!started_at_s_) return 0;
  const double elapsed = now_s - *started_at_s_;
  const double target = inflation_target_mmhg_;
  if (elapsed < kInflationS) return target * elapsed / kInflationS;
  const double deflating = (elapsed - kInflationS) / (duration_s_ - kInflationS);
  const double step = std::floor(std::clamp(deflating, 0.0, 1.0) * kDeflationSteps);
  return target * (1 - step / kDeflationSteps);
}

}  // namespace pedisim::monitor

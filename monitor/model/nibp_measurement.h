#pragma once

// The monitor's non-invasive blood pressure: a measurement, not a stream.
// The cuff inflates and deflates for a realistic time, then shows the
// patient's pressures of that moment, held with the time they were taken
// until the next measurement. Before the first one it shows dashes.
// Measurements start on the NIBP key or on the interval the learners set.
// Durations (docs/monitor.md, from reference monitor.md §3): no source gives
// a pediatric figure, so the model value of the reference is used: ~25 s
// for an infant, ~30 s for a child, about 4 s of it inflating.

#include <optional>

#include "pedisim/v1/vitals.pb.h"

namespace pedisim::monitor {

struct NibpReading {
  double systolic_mmhg = 0;
  double diastolic_mmhg = 0;
  double mean_mmhg = 0;
  // Monitor clock (seconds) when it was taken.
  double taken_at_s = 0;
};

class NibpMeasurement {
 public:
  // Seconds a measurement takes for a patient `age_years` old.
  static double DurationS(double age_years);
  static constexpr double kInflationS = 4.0;

  // Starts a measurement at `now_s` unless one is running; true if started.
  bool Start(double now_s, double age_years);
  // Stops a running measurement without a reading (the key pressed again).
  void Cancel();
  enum class Step { kNothing, kAutoStarted, kFinished };
  // Advances to `now_s`: starts the next automatic measurement when its
  // interval is due; when a measurement ends, takes `vitals`' NIBP (none:
  // the measurement fails, as without a signal).
  Step Update(double now_s, const v1::Vitals* vitals, double age_years);

  // 0 = manual only.
  void SetIntervalS(double interval_s, double now_s);
  double interval_s() const { return interval_s_; }
  // Seconds until the next automatic measurement, if one is set.
  std::optional<double> NextInS(double now_s) const;

  bool measuring() const { return started_at_s_.has_value(); }
  // Cuff pressure to show while measuring (a rise while inflating, then a
  // stepwise fall), mmHg.
  double CuffPressureMmhg(double now_s) const;
  const std::optional<NibpReading>& reading() const { return reading_; }
  // Set when the last measurement ended without a value.
  bool failed() const { return failed_; }

 private:
  std::optional<double> started_at_s_;
  double duration_s_ = 0;
  double inflation_target_mmhg_ = 0;
  double interval_s_ = 0;
  double next_auto_s_ = 0;
  std::optional<NibpReading> reading_;
  bool failed_ = false;
};

}  // namespace pedisim::monitor

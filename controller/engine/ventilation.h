#pragma once

#include <deque>

namespace pedisim::engine {

// A pulseless patient makes no breathing effort: what the learners'
// ventilation gives instead, and what apnoea does to the saturation.
// Breaths sensed by a manikin (ACTION_KIND_VENTILATION) and bag-mask
// ventilation logged by hand (ACTION_KIND_BAG_MASK_VENTILATION, no breaths
// of its own) both ventilate. docs/scenarios.md, "No breathing without a
// pulse", gives the numbers and their sources.
class Ventilation {
 public:
  explicit Ventilation(double age_years);

  void AddBreath(double sim_time_s);
  void AddBagMask(double sim_time_s);

  // Whether the learners are ventilating at now_s: a breath within the last
  // 10 s (a 15:2 cycle's compressions take about 8 s between two pairs of
  // breaths) or bag-mask ventilation logged within the last 60 s [model].
  bool Active(double now_s) const;
  // Breaths in the last 30 s, per minute; 20 /min for bag-mask ventilation
  // logged without sensed breaths (1 breath every 2-3 s, clinical.md §4
  // [S28c]).
  double RatePerMin(double now_s) const;

  // Advances dt_s: apnoea (`pulseless` and not ventilated) lowers the
  // saturation at the age's rate; circulation with breathing or
  // ventilation (`oxygenating`) brings it back with a time constant of
  // 1 min; anything else leaves it.
  void Advance(double now_s, double dt_s, bool pulseless, bool oxygenating);

  // How far apnoea has brought the saturation down, in SpO2 points.
  double desaturation_pct() const { return desaturation_pct_; }
  // Ends the desaturation and returns it: a state that scripts SpO2 takes it
  // into its trend's starting point, as it does lasting effects.
  double AbsorbDesaturation();

  // SpO2 points lost per second of apnoea at `age_years` (clinical.md §4a
  // [S63e], between its three age groups linearly [model]).
  static double DesaturationPctPerS(double age_years);

 private:
  double desaturation_pct_per_s_;
  std::deque<double> breaths_s_;
  double last_bag_mask_s_ = -1e9;
  double desaturation_pct_ = 0;
};

}  // namespace pedisim::engine

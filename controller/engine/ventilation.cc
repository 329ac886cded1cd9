#include "controller/engine/ventilation.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace pedisim::engine {

namespace {

constexpr double kBreathRecentS = 10;
constexpr double kBagMaskRecentS = 60;
constexpr double kRateWindowS = 30;
constexpr double kBagMaskRatePerMin = 20;  // 1 breath every 3 s [S28c]
constexpr double kReoxygenationTauS = 60;  // PaO2 after a step in FiO2, adult [S63] [model]

struct ApnoeaTime {
  double age_years;  // the middle of the study's age group
  double seconds;    // from SpO2 99-100 % to 90 %
};
// Patel 1994 [S63e]: 0-6 months 96.5 s, 2-5 years 160 s, 11-18 years 382 s,
// after preoxygenation (from room air: not found, so these are the slowest
// a child desaturates).
constexpr std::array<ApnoeaTime, 3> kApnoeaTimes{{{0.25, 96.5}, {3.5, 160}, {14.5, 382}}};
constexpr double kApnoeaDropPct = 9.5;  // 99.5 % to 90 %

}  // namespace

double Ventilation::DesaturationPctPerS(double age_years) {
  const auto rate = [](const ApnoeaTime& time) { return kApnoeaDropPct / time.seconds; };
  if (age_years <= kApnoeaTimes.front().age_years) return rate(kApnoeaTimes.front());
  for (size_t i = 1; i < kApnoeaTimes.size(); ++i) {
    const ApnoeaTime& low = kApnoeaTimes[i - 1];
    const ApnoeaTime& high = kApnoeaTimes[i];
    if (age_years <= high.age_years) {
      const double along = (age_years - low.age_years) / (high.age_years - low.age_years);
      return rate(low) + (rate(high) - rate(low)) * along;
    }
  }
  return rate(kApnoeaTimes.back());
}

Ventilation::Ventilation(double age_years)
    : desaturation_pct_per_s_(DesaturationPctPerS(age_years)) {}

void Ventilation::AddBreath(double sim_time_s) {
  breaths_s_.push_back(sim_time_s);
  while (!breaths_s_.empty() && breaths_s_.front() < sim_time_s - kRateWindowS) {
    breaths_s_.pop_front();
  }
}

void Ventilation::AddBagMask(double sim_time_s) { last_bag_mask_s_ = sim_time_s; }

bool Ventilation::Active(double now_s) const {
  return (!breaths_s_.empty() && now_s - breaths_s_.back() <= kBreathRecentS) ||
         now_s - last_bag_mask_s_ <= kBagMaskRecentS;
}

double Ventilation::RatePerMin(double now_s) const {
  if (!breaths_s_.empty() && now_s - breaths_s_.back() <= kBreathRecentS) {
    const auto recent = std::count_if(breaths_s_.begin(), breaths_s_.end(),
                                      [now_s](double t) { return t >= now_s - kRateWindowS; });
    return static_cast<double>(recent) * 60 / kRateWindowS;
  }
  return now_s - last_bag_mask_s_ <= kBagMaskRecentS ? kBagMaskRatePerMin : 0;
}

void Ventilation::Advance(double now_s, double dt_s, bool pulseless, bool oxygenating) {
  if (pulseless && !Active(now_s)) {
    desaturation_pct_ = std::min(100.0, desaturation_pct_ + desaturation_pct_per_s_ * dt_s);
  } else if (!pulseless && oxygenating) {
    desaturation_pct_ *= std::exp(-dt_s / kReoxygenationTauS);
  }
}

double Ventilation::AbsorbDesaturation() {
  const double absorbed = desaturation_pct_;
  desaturation_pct_ = 0;
  return absorbed;
}

}  // namespace pedisim::engine

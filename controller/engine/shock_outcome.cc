#include "controller/engine/shock_outcome.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "controller/engine/action_match.h"
#include "controller/util/deterministic_noise.h"
#include "core/vitals/vital_table.h"

namespace pedisim::engine {

namespace {

// What a team calls the rhythm at the bedside.
std::string RhythmWords(v1::Rhythm rhythm) {
  switch (rhythm) {
    case v1::RHYTHM_VENTRICULAR_FIBRILLATION:
      return "VF";
    case v1::RHYTHM_VENTRICULAR_TACHYCARDIA:
      return "VT";
    case v1::RHYTHM_SVT:
      return "SVT";
    default: {
      std::string name = vitals::RhythmName(rhythm);
      std::replace(name.begin(), name.end(), '_', ' ');
      return name;
    }
  }
}

}  // namespace

v1::ShockOutcome DecideShock(const v1::ShockOdds& odds, uint32_t attempt, double energy_j_per_kg,
                             v1::Rhythm rhythm, uint64_t seed) {
  v1::ShockOutcome outcome;
  outcome.set_attempt(attempt);
  outcome.set_energy_j_per_kg(energy_j_per_kg);
  outcome.set_rhythm(rhythm);
  outcome.set_band(-1);
  for (int b = 0; b < odds.bands_size(); ++b) {
    const v1::ShockOddsBand& band = odds.bands(b);
    if (WithinRange(band.attempt(), true, attempt) &&
        WithinRange(band.energy_j_per_kg(), true, energy_j_per_kg)) {
      outcome.set_band(b);
      outcome.set_success_probability(std::clamp(band.success_probability(), 0.0, 1.0));
      break;
    }
  }
  const NoiseStream draws(seed, NoiseStreamId::kShockOutcome);
  outcome.set_terminated(draws.Unit(attempt) < outcome.success_probability());
  return outcome;
}

std::string DescribeShock(const v1::ShockOutcome& outcome) {
  const std::string odds =
      outcome.band() < 0
          ? "no odds cover this shock"
          : fmt::format("odds {:g} %", std::round(outcome.success_probability() * 1000) / 10);
  return fmt::format("shock {} at {:.1f} J/kg {} {} ({})", outcome.attempt(),
                     outcome.energy_j_per_kg(),
                     outcome.terminated() ? "terminated" : "did not terminate",
                     RhythmWords(outcome.rhythm()), odds);
}

bool CountsShock(const v1::ActionTrigger& trigger, std::optional<bool> terminated) {
  if (!terminated) return true;
  switch (trigger.shock_result()) {
    case v1::SHOCK_RESULT_FAILED:
      return !*terminated;
    case v1::SHOCK_RESULT_ANY:
      return true;
    default:
      return *terminated;
  }
}

}  // namespace pedisim::engine

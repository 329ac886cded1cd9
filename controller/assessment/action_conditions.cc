#include "controller/assessment/action_conditions.h"

#include <fmt/format.h>

#include <algorithm>

#include "controller/engine/action_match.h"
#include "core/text/numbers.h"
#include "core/text/words.h"

namespace pedisim::assessment {
namespace {

std::string RangeText(const v1::Range& range) {
  if (range.has_min() && range.has_max()) return fmt::format("{:g}-{:g}", range.min(), range.max());
  if (range.has_min()) return fmt::format("at least {:g}", range.min());
  return fmt::format("at most {:g}", range.max());
}

// What is wrong with one per-kg quantity, if anything.
std::optional<std::string> QuantityMiss(const char* what, const char* unit, const v1::Range& range,
                                        bool has_value, double value, double kg) {
  if (!range.has_min() && !range.has_max()) return std::nullopt;
  if (!has_value)
    return fmt::format("no {} recorded; expected {} {}", what, RangeText(range), unit);
  // The engine's tolerance (action_match.cc), so that what it accepts is
  // never reported as a miss.
  const double per_kg = value / kg;
  constexpr double kTolerance = 1e-6;
  const bool low = range.has_min() && per_kg < range.min() * (1 - kTolerance);
  const bool high = range.has_max() && per_kg > range.max() * (1 + kTolerance);
  if (!low && !high) return std::nullopt;
  return fmt::format("{} {} {} is {} {} {}", what, text::PlainNumber(per_kg), unit,
                     low ? "below" : "above", RangeText(range), unit);
}

bool HasRange(const v1::Range& range) { return range.has_min() || range.has_max(); }

}  // namespace

bool MatchesAny(const google::protobuf::RepeatedPtrField<v1::ActionTrigger>& triggers,
                const v1::LearnerAction& action, double weight_kg) {
  return std::any_of(triggers.begin(), triggers.end(), [&](const v1::ActionTrigger& trigger) {
    return engine::MatchesAction(trigger, action, weight_kg);
  });
}

bool Asks(const v1::ActionTrigger& trigger, Condition condition) {
  switch (condition) {
    case Condition::kRoute:
      return !trigger.routes().empty();
    case Condition::kDose:
      return HasRange(trigger.dose_mg_per_kg()) || HasRange(trigger.dose_mg());
    case Condition::kEnergy:
      return HasRange(trigger.energy_j_per_kg());
    case Condition::kVolume:
      return HasRange(trigger.volume_ml_per_kg());
    case Condition::kOther:
      return false;
  }
  return false;
}

std::optional<Miss> NearMiss(const v1::ActionTrigger& trigger, const v1::LearnerAction& action,
                             double weight_kg) {
  // A note is no attempt at anything (engine::MatchesAction).
  if (action.kind() == v1::ACTION_KIND_OTHER) return std::nullopt;
  if (trigger.kind() != action.kind()) return std::nullopt;
  // A drug condition without a drug name says nothing about which drug was
  // meant, so another drug at another dose is no attempt at it.
  if (action.kind() == v1::ACTION_KIND_DRUG &&
      (trigger.drug().empty() || !text::SameWord(trigger.drug(), action.drug()))) {
    return std::nullopt;
  }
  // ECG leads are no misplaced capnography line, a lactate no wrong blood gas.
  if (!engine::SameSubject(trigger, action)) return std::nullopt;
  if (engine::MatchesAction(trigger, action, weight_kg)) return std::nullopt;
  if (!trigger.routes().empty() &&
      std::none_of(trigger.routes().begin(), trigger.routes().end(), [&](const std::string& route) {
        return text::SameWord(route, action.route());
      })) {
    std::string routes;
    for (const std::string& route : trigger.routes()) routes += (routes.empty() ? "" : "/") + route;
    return Miss{Condition::kRoute, fmt::format("route '{}' is not {}", action.route(), routes)};
  }
  const double kg = weight_kg > 0 ? weight_kg : 1;
  if (auto miss = QuantityMiss("dose", "mg/kg", trigger.dose_mg_per_kg(), action.has_dose_mg(),
                               action.dose_mg(), kg)) {
    return Miss{Condition::kDose, *miss};
  }
  // The absolute cap ("at most 2 g"), judged on the dose itself.
  if (auto miss = QuantityMiss("dose", "mg", trigger.dose_mg(), action.has_dose_mg(),
                               action.dose_mg(), 1)) {
    return Miss{Condition::kDose, *miss};
  }
  if (auto miss = QuantityMiss("energy", "J/kg", trigger.energy_j_per_kg(), action.has_energy_j(),
                               action.energy_j(), kg)) {
    return Miss{Condition::kEnergy, *miss};
  }
  if (auto miss = QuantityMiss("volume", "mL/kg", trigger.volume_ml_per_kg(),
                               action.has_volume_ml(), action.volume_ml(), kg)) {
    return Miss{Condition::kVolume, *miss};
  }
  return Miss{Condition::kOther, "does not meet the item's conditions"};
}

}  // namespace pedisim::assessment

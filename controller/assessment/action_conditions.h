#pragma once

#include <optional>
#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/triggers.pb.h"

namespace pedisim::assessment {

// Whether `action` meets any of `triggers` (engine::MatchesAction each).
bool MatchesAny(const google::protobuf::RepeatedPtrField<v1::ActionTrigger>& triggers,
                const v1::LearnerAction& action, double weight_kg);

// The condition of an ActionTrigger an action missed.
enum class Condition { kRoute, kDose, kEnergy, kVolume, kOther };

// How an action missed a trigger it was meant for.
struct Miss {
  Condition condition;
  // In words: "dose 0.1 mg/kg is above 0.0095-0.0131 mg/kg".
  std::string reason;
};

// When `action` is the kind of thing `trigger` asks for (same kind, and for
// drugs the drug the trigger names) but misses one of its conditions:
// which one. Nothing when the action is of another kind or drug, or meets
// the trigger.
std::optional<Miss> NearMiss(const v1::ActionTrigger& trigger, const v1::LearnerAction& action,
                             double weight_kg);

// Whether `trigger` sets `condition` (a route list, a dose, energy or volume
// range).
bool Asks(const v1::ActionTrigger& trigger, Condition condition);

}  // namespace pedisim::assessment

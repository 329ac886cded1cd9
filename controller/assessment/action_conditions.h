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

// When `action` is the kind of thing `trigger` asks for (same kind, and for
// drugs the drug the trigger names) but misses one of its conditions:
// which one, in words ("dose 0.1 mg/kg is outside 0.0095-0.0131 mg/kg").
// Nothing when the action is of another kind or drug, or meets the trigger.
std::optional<std::string> NearMiss(const v1::ActionTrigger& trigger,
                                    const v1::LearnerAction& action, double weight_kg);

}  // namespace pedisim::assessment

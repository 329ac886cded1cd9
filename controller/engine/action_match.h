#pragma once

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::engine {

// Whether `action` is of the kind `trigger` waits for: the same kind, or a
// bedside glucose check (ACTION_KIND_GLUCOSE_CHECK) for a trigger waiting
// for the "glucose" test ordered.
bool SameKind(const v1::ActionTrigger& trigger, const v1::LearnerAction& action);

// Whether the test, sensor and tube confirmation `trigger` names, where it
// names one, are the action's. Another sensor or test is another action,
// not a wrong attempt at this one (assessment's near misses ask this too).
bool SameSubject(const v1::ActionTrigger& trigger, const v1::LearnerAction& action);

// Whether `action` meets every condition of `trigger` that is set, doses,
// energies and volumes judged per kg of `weight_kg`. Counting and time
// windows depend on history and are the caller's business. An
// ACTION_KIND_OTHER action (a free-text note) matches nothing, whatever the
// trigger says.
// Whether `value` lies in `range` (a hair of tolerance at the bounds, so a
// dose computed from a rounded volume still counts); a missing value never
// satisfies a range that asks for one, and an empty range holds anything.
bool WithinRange(const v1::Range& range, bool has_value, double value);

bool MatchesAction(const v1::ActionTrigger& trigger, const v1::LearnerAction& action,
                   double weight_kg);

}  // namespace pedisim::engine

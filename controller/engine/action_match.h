#ifndef PEDISIM_CONTROLLER_ENGINE_ACTION_MATCH_H_
#define PEDISIM_CONTROLLER_ENGINE_ACTION_MATCH_H_

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::engine {

// Whether `action` meets every condition of `trigger` that is set, doses,
// energies and volumes judged per kg of `weight_kg`. Counting and time
// windows depend on history and are the caller's business.
bool MatchesAction(const v1::ActionTrigger& trigger, const v1::LearnerAction& action,
                   double weight_kg);

// Case-insensitive equality, for drug names and routes.
bool SameWord(const std::string& a, const std::string& b);

}  // namespace pedisim::engine

#endif  // PEDISIM_CONTROLLER_ENGINE_ACTION_MATCH_H_

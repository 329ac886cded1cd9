#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pedisim/v1/event.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::engine {

// Whether the `attempt`-th shock of the session, at `energy_j_per_kg`, ends
// the rhythm in a state with these odds: the first band that covers it gives
// the odds, and one draw from the seed's shock stream, indexed by the
// attempt, decides. The draw depends on nothing else, so a replay decides
// the same, and for one attempt a band with better odds never turns a
// success into a failure.
v1::ShockOutcome DecideShock(const v1::ShockOdds& odds, uint32_t attempt, double energy_j_per_kg,
                             v1::Rhythm rhythm, uint64_t seed);

// The outcome in words, for the event log and the record: "shock 1 at
// 1.9 J/kg did not terminate VF (odds 30 %)".
std::string DescribeShock(const v1::ShockOutcome& outcome);

// Whether a transition's defibrillation trigger counts a shock with this
// outcome; `terminated` is empty when the shock was given where shocks
// cannot fail (the state had no shock odds), and then every shock counts.
bool CountsShock(const v1::ActionTrigger& trigger, std::optional<bool> terminated);

}  // namespace pedisim::engine

#pragma once

#include <cstdint>
#include <string>

#include "controller/engine/action_ledger.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::engine {

// Whether a Condition (conditions.proto) holds, and why in words.
struct ConditionVerdict {
  bool holds = false;
  // The learner action that made it hold (for all_of the latest of its
  // parts'); 0 when no action did (a clock, a NOT, a total still small).
  uint64_t cause_event_id = 0;
  double cause_time_s = 0;
  // "fluid in total at least 40 mL/kg (42 mL/kg) and ceftriaxone at 06:10";
  // when it does not hold, what is missing.
  std::string why;
};

// Whether `condition` holds against the ledger at now_s, and its cause,
// without words (`why` stays empty): what the engine and the judges ask at
// every step. A deterministic function of the ledger's contents and now_s.
ConditionVerdict CheckCondition(const v1::Condition& condition, const ActionLedger& ledger,
                                double now_s);

// As CheckCondition, with `why` in words: for the event that reports it, once
// it holds or when its deadline passes.
ConditionVerdict EvaluateCondition(const v1::Condition& condition, const ActionLedger& ledger,
                                   double now_s);

}  // namespace pedisim::engine

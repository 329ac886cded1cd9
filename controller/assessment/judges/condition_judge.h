#pragma once

#include "controller/assessment/judges/judge.h"
#include "controller/engine/action_ledger.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::assessment {

// A critical action met by a condition (CriticalAction.condition) rather
// than by one action: met when the condition first holds by the deadline
// after its moment, met late when it first holds after it, omitted when the
// deadline passes with it not holding. The condition is evaluated after
// every action and every step, so that totals, NOT and the clock are seen
// at the moment they change.
class ConditionJudge : public Judge {
 public:
  // `critical` and `ledger` (the assessor's) must outlive the judge.
  ConditionJudge(const v1::CriticalAction& critical, const MomentState* window,
                 const engine::ActionLedger& ledger);

  void OnWindowOpened(double now_s) override;
  Ruling OnAction(const ActionSeen& seen) override;
  Ruling AtStep(double step_s, double now_s) override;
  Ruling AtEnd(double ended_s, double now_s) override;

 private:
  // Grades the item met (or met late) if the condition holds at time_s.
  Ruling MetIfHolds(double time_s, double now_s);

  const v1::CriticalAction& critical_;
  const engine::ActionLedger& ledger_;
};

}  // namespace pedisim::assessment

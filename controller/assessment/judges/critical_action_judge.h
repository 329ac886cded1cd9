#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include "controller/assessment/action_conditions.h"
#include "controller/assessment/judges/judge.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::assessment {

// A critical action: met when done (count times) by the deadline after its
// moment, met late after it, wrong on a near miss before it, omitted when the
// deadline passes undone.
class CriticalActionJudge : public Judge {
 public:
  // The moment the action's deadline counts from (from_state, written short,
  // is a state-entered moment).
  static v1::Moment MeasuredFrom(const v1::CriticalAction& critical);

  // `all_critical` (the scenario's, this one among them) must outlive the
  // judge: an action that meets another critical item is no wrong attempt at
  // this one.
  CriticalActionJudge(const v1::CriticalAction& critical, const MomentState* window,
                      const google::protobuf::RepeatedPtrField<v1::CriticalAction>& all_critical,
                      double weight_kg);

  void OnWindowOpened(double now_s) override;
  Ruling OnAction(const ActionSeen& seen) override;
  Ruling AtStep(double step_s, double now_s) override;
  Ruling AtEnd(double ended_s, double now_s) override;

 private:
  // The trigger of `critical` (its action or an alternative) that `action`
  // meets, if any.
  const v1::ActionTrigger* MetBy(const v1::CriticalAction& critical,
                                 const v1::LearnerAction& action) const;
  // Whether a near miss of this item is another item's step instead.
  bool ExcusedByAnother(const Miss& miss, const ActionSeen& seen) const;

  const v1::CriticalAction& critical_;
  const google::protobuf::RepeatedPtrField<v1::CriticalAction>& all_critical_;
  const double weight_kg_;
  // Matching actions so far, toward the action's count.
  int matches_ = 0;
};

}  // namespace pedisim::assessment

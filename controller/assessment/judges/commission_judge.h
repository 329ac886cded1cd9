#pragma once

#include <string>
#include <vector>

#include "controller/assessment/judges/judge.h"
#include "pedisim/v1/guidelines.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::assessment {

// A commission rule (something not to do): wrong when its trigger (an
// action, fluid over a limit, a dose error) happens in its window and
// states; met when the window closes, or the session ends, without it.
class CommissionJudge : public Judge {
 public:
  // `guidelines` (the scenario's, for drug names in dose-error rules) must
  // outlive the judge.
  CommissionJudge(const v1::CommissionRule& rule, const MomentState* window,
                  const v1::GuidelineSet& guidelines, double weight_kg);

  void OnWindowOpened(double now_s) override;
  void OnStateEntered(const std::string& state) override;
  Ruling OnAction(const ActionSeen& seen) override;
  Ruling AtStep(double step_s, double now_s) override;
  Ruling AtEnd(double ended_s, double now_s) override;

 private:
  bool InWindow(double time_s) const;
  bool InRuleState() const;
  bool DoseErrorMatches(const v1::LearnerAction& action, const v1::DoseCheck& dose) const;

  const v1::CommissionRule& rule_;
  const v1::GuidelineSet& guidelines_;
  const double weight_kg_;
  std::string current_state_;
  // Whether the team was ever in one of the rule's states (always, for a
  // rule without states): a rule never in force is not met.
  bool state_seen_;
  // Fluid given in the window, for fluid_over rules, and its events.
  double fluid_ml_ = 0;
  std::vector<v1::Evidence> fluids_;
};

}  // namespace pedisim::assessment

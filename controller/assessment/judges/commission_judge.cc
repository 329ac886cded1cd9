#include "controller/assessment/judges/commission_judge.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "controller/engine/action_match.h"
#include "core/dosing/dose_check.h"
#include "core/dosing/drug_table.h"

namespace pedisim::assessment {

CommissionJudge::CommissionJudge(const v1::CommissionRule& rule, const MomentState* window,
                                 const v1::GuidelineSet& guidelines, double weight_kg)
    : Judge(v1::ITEM_TYPE_COMMISSION, rule.name(), rule.rationale(), rule.competencies(), window),
      rule_(rule),
      guidelines_(guidelines),
      weight_kg_(weight_kg),
      state_seen_(rule.states().empty()) {}

void CommissionJudge::OnWindowOpened(double now_s) {
  Judge::OnWindowOpened(now_s);
  if (rule_.within_s() > 0) grade_.set_deadline_s(now_s + rule_.within_s());
}

bool CommissionJudge::InRuleState() const {
  return std::find(rule_.states().begin(), rule_.states().end(), current_state_) !=
         rule_.states().end();
}

void CommissionJudge::OnStateEntered(const std::string& state) {
  current_state_ = state;
  if (!state_seen_) state_seen_ = InRuleState();
}

bool CommissionJudge::InWindow(double time_s) const {
  if (!window()->opened_s) return false;
  const double within_s = rule_.within_s();
  return within_s <= 0 || time_s <= *window()->opened_s + within_s + kTimeEpsilonS;
}

bool CommissionJudge::DoseErrorMatches(const v1::LearnerAction& action,
                                       const v1::DoseCheck& dose) const {
  const v1::DoseError& error = rule_.dose_error();
  const bool verdict_listed = error.verdicts().empty()
                                  ? dosing::IsDoseError(dose.verdict())
                                  : std::find(error.verdicts().begin(), error.verdicts().end(),
                                              dose.verdict()) != error.verdicts().end();
  if (!verdict_listed) return false;
  if (error.drug().empty()) return true;
  // Names resolve through the table, so that an alias of the rule's drug counts.
  const v1::DrugEntry* named = dosing::FindDrug(guidelines_, error.drug());
  return named && named == dosing::FindDrug(guidelines_, action.drug());
}

Ruling CommissionJudge::OnAction(const ActionSeen& seen) {
  const v1::Event& event = seen.event;
  if (!InWindow(event.sim_time_s())) return {};
  if (!rule_.states().empty() && !InRuleState()) return {};
  const v1::LearnerAction& action = event.action();
  std::optional<std::string> reason;
  switch (rule_.trigger_case()) {
    case v1::CommissionRule::kAction:
      if (engine::MatchesAction(rule_.action(), action, weight_kg_)) {
        reason = fmt::format("{} at {:.1f} s", event.summary(), event.sim_time_s());
      }
      break;
    case v1::CommissionRule::kFluidOver:
      if (action.kind() == v1::ACTION_KIND_FLUID_BOLUS && action.has_volume_ml()) {
        fluid_ml_ += action.volume_ml();
        fluids_.push_back(EvidenceOf(event));
        const double per_kg = fluid_ml_ / std::max(weight_kg_, 1e-9);
        if (per_kg > rule_.fluid_over().ml_per_kg() + kTimeEpsilonS) {
          reason = fmt::format("{:.0f} mL/kg of fluid in total (limit {:g} mL/kg) by {:.1f} s",
                               per_kg, rule_.fluid_over().ml_per_kg(), event.sim_time_s());
          // The boluses before this one share the blame; this one is cited
          // as the deciding event.
          for (size_t i = 0; i + 1 < fluids_.size(); ++i) {
            *grade_.add_evidence() = fluids_[i];
          }
        }
      }
      break;
    case v1::CommissionRule::kDoseError:
      if (seen.dose && DoseErrorMatches(action, *seen.dose)) reason = seen.dose->reason();
      break;
    default:
      break;
  }
  if (!reason) return {};
  // Once wrong, each further offence is evidence, not a new grade.
  if (grade_.grade() == v1::GRADE_WRONG) return KeepAsEvidence(event);
  return Decide(v1::GRADE_WRONG, *reason, &event, seen.now_s);
}

Ruling CommissionJudge::AtStep(double step_s, double now_s) {
  if (!DeadlinePassed(step_s) || !state_seen_) return {};
  return Decide(
      v1::GRADE_MET,
      fmt::format("not done within {:g} s of {}", rule_.within_s(), window()->description), nullptr,
      now_s);
}

Ruling CommissionJudge::AtEnd(double, double now_s) {
  if (window()->opened_s && state_seen_) return Decide(v1::GRADE_MET, "not done", nullptr, now_s);
  return Decide(v1::GRADE_NOT_APPLICABLE,
                window()->opened_s ? "the session never reached the states it applies in"
                                   : window()->description + " never happened",
                nullptr, now_s);
}

}  // namespace pedisim::assessment

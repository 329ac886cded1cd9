#include "controller/assessment/judges/critical_action_judge.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "controller/assessment/action_conditions.h"
#include "controller/engine/action_match.h"
#include "core/dosing/dose_check.h"

namespace pedisim::assessment {

v1::Moment CriticalActionJudge::MeasuredFrom(const v1::CriticalAction& critical) {
  v1::Moment moment = critical.measured_from();
  if (!critical.from_state().empty()) moment.set_state_entered(critical.from_state());
  return moment;
}

CriticalActionJudge::CriticalActionJudge(
    const v1::CriticalAction& critical, const MomentState* window,
    const google::protobuf::RepeatedPtrField<v1::CriticalAction>& all_critical, double weight_kg)
    : Judge(v1::ITEM_TYPE_CRITICAL_ACTION, critical.name(), critical.rationale(),
            critical.competencies(), window),
      critical_(critical),
      all_critical_(all_critical),
      weight_kg_(weight_kg) {}

void CriticalActionJudge::OnWindowOpened(double now_s) {
  Judge::OnWindowOpened(now_s);
  grade_.set_deadline_s(now_s + critical_.deadline_s());
}

namespace {

// Verdicts of the dose check that say the amount itself is wrong (a route
// the table lacks says nothing about the amount).
bool AmountIsWrong(v1::DoseVerdict verdict) {
  return verdict != v1::DOSE_VERDICT_ROUTE_NOT_LISTED && dosing::IsDoseError(verdict);
}

}  // namespace

const v1::ActionTrigger* CriticalActionJudge::MetBy(const v1::CriticalAction& critical,
                                                    const v1::LearnerAction& action) const {
  if (engine::MatchesAction(critical.action(), action, weight_kg_)) return &critical.action();
  for (const v1::ActionTrigger& alternative : critical.alternatives()) {
    if (engine::MatchesAction(alternative, action, weight_kg_)) return &alternative;
  }
  return nullptr;
}

bool CriticalActionJudge::ExcusedByAnother(const Miss& miss, const ActionSeen& seen) const {
  // A wrong amount is wrong when it is given, whatever looser item it also
  // meets: the ten-fold epinephrine that meets "epinephrine given" is no
  // correct step of anything.
  if (seen.dose && AmountIsWrong(seen.dose->verdict())) return false;
  // An action that meets another critical item on the very condition it
  // misses here is that item's step, not a wrong attempt at this one: the
  // 2 J/kg first shock is no failed 4 J/kg second shock. An item that does
  // not ask for that condition ("epinephrine", any dose) excuses nothing.
  const v1::LearnerAction& action = seen.event.action();
  return std::any_of(all_critical_.begin(), all_critical_.end(),
                     [&](const v1::CriticalAction& other) {
                       if (&other == &critical_) return false;
                       const v1::ActionTrigger* met = MetBy(other, action);
                       return met && Asks(*met, miss.condition);
                     });
}

Ruling CriticalActionJudge::OnAction(const ActionSeen& seen) {
  const v1::Grade grade = grade_.grade();
  if (!window()->opened_s || grade == v1::GRADE_MET || grade == v1::GRADE_MET_LATE) return {};
  const v1::Event& event = seen.event;
  const v1::LearnerAction& action = event.action();
  const bool in_time = event.sim_time_s() <= grade_.deadline_s() + kTimeEpsilonS;
  if (MetBy(critical_, action)) {
    if (++matches_ < static_cast<int>(std::max(1u, critical_.action().count()))) return {};
    const double after_s = event.sim_time_s() - *window()->opened_s;
    return Decide(in_time ? v1::GRADE_MET : v1::GRADE_MET_LATE,
                  fmt::format("{} {:.0f} s after {} (deadline {:g} s)", event.summary(), after_s,
                              window()->description, critical_.deadline_s()),
                  &event, seen.now_s);
  }
  std::optional<Miss> miss = NearMiss(critical_.action(), action, weight_kg_);
  for (const v1::ActionTrigger& alternative : critical_.alternatives()) {
    if (!miss) miss = NearMiss(alternative, action, weight_kg_);
  }
  if (!miss || ExcusedByAnother(*miss, seen)) return {};
  if (in_time) {
    return Decide(v1::GRADE_WRONG, fmt::format("{}: {}", event.summary(), miss->reason), &event,
                  seen.now_s);
  }
  // Past the deadline a wrong attempt does not undo the omission, but the
  // debrief should see it.
  return KeepAsEvidence(event);
}

Ruling CriticalActionJudge::AtStep(double step_s, double now_s) {
  if (!DeadlinePassed(step_s)) return {};
  return Omit(
      fmt::format("not done within {:g} s of {}", critical_.deadline_s(), window()->description),
      now_s);
}

Ruling CriticalActionJudge::AtEnd(double ended_s, double now_s) {
  return EndedBeforeTheDeadline(ended_s, now_s);
}

}  // namespace pedisim::assessment

#include "controller/assessment/judges/condition_judge.h"

#include <fmt/format.h>

#include "controller/engine/condition_eval.h"

namespace pedisim::assessment {

ConditionJudge::ConditionJudge(const v1::CriticalAction& critical, const MomentState* window,
                               const engine::ActionLedger& ledger)
    : Judge(v1::ITEM_TYPE_CRITICAL_ACTION, critical.name(), critical.rationale(),
            critical.competencies(), window),
      critical_(critical),
      ledger_(ledger) {}

void ConditionJudge::OnWindowOpened(double now_s) {
  Judge::OnWindowOpened(now_s);
  grade_.set_deadline_s(now_s + critical_.deadline_s());
}

Ruling ConditionJudge::MetIfHolds(double time_s, double now_s) {
  const v1::Grade grade = grade_.grade();
  if (!window()->opened_s || (grade != v1::GRADE_PENDING && grade != v1::GRADE_OMITTED)) return {};
  if (!engine::CheckCondition(critical_.condition(), ledger_, time_s).holds) return {};
  const engine::ConditionVerdict verdict =
      engine::EvaluateCondition(critical_.condition(), ledger_, time_s);
  const bool in_time = time_s <= grade_.deadline_s() + kTimeEpsilonS;
  Ruling ruling = Decide(
      in_time ? v1::GRADE_MET : v1::GRADE_MET_LATE,
      fmt::format("{}, {:.0f} s after {} (deadline {:g} s)", verdict.why,
                  time_s - *window()->opened_s, window()->description, critical_.deadline_s()),
      nullptr, now_s);
  // The action that made the condition hold is the evidence; a condition
  // that holds by the clock alone has none.
  if (verdict.cause_event_id != 0) {
    v1::Evidence& evidence = *grade_.add_evidence();
    evidence.set_event_id(verdict.cause_event_id);
    evidence.set_sim_time_s(verdict.cause_time_s);
    evidence.set_summary(verdict.why);
    ruling.cause_event_id = verdict.cause_event_id;
  }
  return ruling;
}

Ruling ConditionJudge::OnAction(const ActionSeen& seen) {
  return MetIfHolds(seen.event.sim_time_s(), seen.now_s);
}

Ruling ConditionJudge::AtStep(double step_s, double now_s) {
  if (Ruling met = MetIfHolds(step_s, now_s); met.outcome != Ruling::Outcome::kNone) return met;
  if (!DeadlinePassed(step_s)) return {};
  const engine::ConditionVerdict verdict =
      engine::EvaluateCondition(critical_.condition(), ledger_, step_s);
  return Omit(fmt::format("not within {:g} s of {}: {}", critical_.deadline_s(),
                          window()->description, verdict.why),
              now_s);
}

Ruling ConditionJudge::AtEnd(double ended_s, double now_s) {
  return EndedBeforeTheDeadline(ended_s, now_s);
}

}  // namespace pedisim::assessment

#include "controller/assessment/judges/order_judge.h"

#include <fmt/format.h>

#include "controller/assessment/action_conditions.h"

namespace pedisim::assessment {

OrderJudge::OrderJudge(const v1::OrderConstraint& order, double weight_kg)
    : Judge(v1::ITEM_TYPE_ORDER, order.name(), order.rationale(), order.competencies(),
            /*window=*/nullptr),
      order_(order),
      weight_kg_(weight_kg) {}

Ruling OrderJudge::OnAction(const ActionSeen& seen) {
  if (grade_.grade() != v1::GRADE_PENDING) return {};
  const v1::Event& event = seen.event;
  const v1::LearnerAction& action = event.action();
  if (!first_done_ && MatchesAny(order_.first(), action, weight_kg_)) {
    first_done_ = EvidenceOf(event);
    return {};
  }
  if (!MatchesAny(order_.then(), action, weight_kg_)) return {};
  if (first_done_) {
    *grade_.add_evidence() = *first_done_;
    return Decide(
        v1::GRADE_MET,
        fmt::format("'{}' at {:.1f} s came before '{}' at {:.1f} s", first_done_->summary(),
                    first_done_->sim_time_s(), event.summary(), event.sim_time_s()),
        &event, seen.now_s);
  }
  return Decide(v1::GRADE_WRONG,
                fmt::format("'{}' at {:.1f} s came before the step that must precede it",
                            event.summary(), event.sim_time_s()),
                &event, seen.now_s);
}

Ruling OrderJudge::AtEnd(double, double now_s) {
  return Decide(v1::GRADE_NOT_APPLICABLE, "the step whose order is judged was never done", nullptr,
                now_s);
}

}  // namespace pedisim::assessment

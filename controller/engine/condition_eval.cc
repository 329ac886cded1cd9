#include "controller/engine/condition_eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "controller/engine/action_match.h"
#include "core/scenario/condition_text.h"
#include "core/text/enum_names.h"

namespace pedisim::engine {
namespace {

// "06:10": the scenario clock as the debrief shows it.
std::string Clock(double time_s) {
  const int whole = static_cast<int>(std::floor(time_s + 1e-6));
  return fmt::format("{:02d}:{:02d}", whole / 60, whole % 60);
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

// Whether the verdict carries words: a condition is checked at every step
// while its state lasts, and explained only when it holds or at a deadline,
// so that the step does not format text it throws away.
enum class Words { kNone, kExplain };

ConditionVerdict QuantityVerdict(const v1::QuantityCondition& condition, const ActionLedger& ledger,
                                 double now_s, Words words) {
  ConditionVerdict verdict;
  const v1::Quantity* quantity = ledger.FindQuantity(condition.quantity());
  if (!quantity) {
    if (words == Words::kExplain)
      verdict.why = fmt::format("no quantity '{}'", condition.quantity());
    return verdict;
  }
  const ActionLedger::Total total = *ledger.TotalOf(condition.quantity(), now_s);
  verdict.holds = (!condition.has_at_least() || total.value >= condition.at_least() - 1e-9) &&
                  (!condition.has_at_most() || total.value <= condition.at_most() + 1e-9) &&
                  (!condition.has_below() || total.value < condition.below() - 1e-9);
  if (words == Words::kExplain) {
    const std::string unit = QuantityUnit(quantity->kind());
    const std::string& name = quantity->label().empty() ? quantity->name() : quantity->label();
    std::vector<std::string> bounds;
    if (condition.has_at_least()) {
      bounds.push_back(fmt::format("at least {:g} {}", condition.at_least(), unit));
    }
    if (condition.has_at_most()) {
      bounds.push_back(fmt::format("at most {:g} {}", condition.at_most(), unit));
    }
    if (condition.has_below()) {
      bounds.push_back(fmt::format("below {:g} {}", condition.below(), unit));
    }
    verdict.why = fmt::format("{} {} ({:.3g} {})", name, Join(bounds, " and "), total.value, unit);
  }
  // Reaching a lower bound is the deed of the last action counted; staying
  // under an upper bound is nobody's.
  if (verdict.holds && condition.has_at_least()) {
    verdict.cause_event_id = total.last_event_id;
    verdict.cause_time_s = total.last_time_s;
  } else {
    verdict.cause_time_s = now_s;
  }
  return verdict;
}

ConditionVerdict ActionVerdict(const v1::ActionTrigger& trigger, const ActionLedger& ledger,
                               Words words) {
  ConditionVerdict verdict;
  const uint32_t needed = std::max<uint32_t>(1, trigger.count());
  uint32_t seen = 0;
  for (const ActionLedger::Entry& entry : ledger.entries()) {
    if (!MatchesAction(trigger, entry.action, ledger.weight_kg()) || ++seen < needed) continue;
    verdict.holds = true;
    verdict.cause_event_id = entry.event_id;
    verdict.cause_time_s = entry.time_s;
    if (words == Words::kExplain) {
      verdict.why = needed > 1 ? fmt::format("{} x{} at {}", scenario::ActionTriggerName(trigger),
                                             needed, Clock(entry.time_s))
                               : fmt::format("{} at {}", scenario::ActionTriggerName(trigger),
                                             Clock(entry.time_s));
    }
    return verdict;
  }
  if (words == Words::kExplain) {
    verdict.why =
        needed > 1 ? fmt::format("{} x{} not given", scenario::ActionTriggerName(trigger), needed)
                   : fmt::format("no {}", scenario::ActionTriggerName(trigger));
  }
  return verdict;
}

ConditionVerdict ClockVerdict(bool holds, double since_s) {
  ConditionVerdict verdict;
  verdict.holds = holds;
  verdict.cause_time_s = since_s;
  return verdict;
}

ConditionVerdict Evaluate(const v1::Condition& condition, const ActionLedger& ledger, double now_s,
                          Words words);

// The condition's own label, when it has one and holds, frames its parts'
// reasons.
ConditionVerdict EvaluateLabelled(const v1::Condition& condition, const ActionLedger& ledger,
                                  double now_s, Words words) {
  ConditionVerdict verdict = Evaluate(condition, ledger, now_s, words);
  if (words == Words::kExplain && verdict.holds && !condition.label().empty()) {
    verdict.why = fmt::format("{} ({})", condition.label(), verdict.why);
  }
  return verdict;
}

ConditionVerdict Evaluate(const v1::Condition& condition, const ActionLedger& ledger, double now_s,
                          Words words) {
  const bool explain = words == Words::kExplain;
  ConditionVerdict verdict;
  if (!condition.all_of().empty()) {
    // Holds when every part does; the part that came last is its cause.
    verdict.holds = true;
    std::vector<std::string> reasons;
    for (const v1::Condition& part : condition.all_of()) {
      ConditionVerdict sub = EvaluateLabelled(part, ledger, now_s, words);
      if (!sub.holds) {
        // Only what is missing explains why it does not hold; without words
        // one missing part settles it.
        if (!explain) return ConditionVerdict{};
        if (verdict.holds) reasons.clear();
        verdict.holds = false;
        reasons.push_back(std::move(sub.why));
        continue;
      }
      if (!verdict.holds) continue;
      if (explain) reasons.push_back(std::move(sub.why));
      if (sub.cause_time_s >= verdict.cause_time_s) {
        verdict.cause_time_s = sub.cause_time_s;
        verdict.cause_event_id =
            sub.cause_event_id != 0 ? sub.cause_event_id : verdict.cause_event_id;
      }
    }
    verdict.why = Join(reasons, " and ");
  } else if (!condition.any_of().empty()) {
    std::vector<std::string> reasons;
    for (const v1::Condition& part : condition.any_of()) {
      ConditionVerdict sub = EvaluateLabelled(part, ledger, now_s, words);
      if (sub.holds) return sub;  // the first part that holds is the reason
      if (explain) reasons.push_back(std::move(sub.why));
    }
    verdict.why = Join(reasons, " and ");
  } else if (!condition.none_of().empty()) {
    std::vector<std::string> reasons;
    verdict.holds = true;
    for (const v1::Condition& part : condition.none_of()) {
      ConditionVerdict sub = EvaluateLabelled(part, ledger, now_s, words);
      if (sub.holds) {
        verdict.holds = false;
        if (explain) verdict.why = fmt::format("not expected: {}", sub.why);
        return verdict;
      }
      // An action's absence already reads as a negation ("no intubation").
      if (explain) {
        reasons.push_back(part.has_action() ? sub.why : fmt::format("not ({})", sub.why));
      }
    }
    verdict.cause_time_s = now_s;
    verdict.why = Join(reasons, " and ");
  } else if (condition.has_quantity()) {
    verdict = QuantityVerdict(condition.quantity(), ledger, now_s, words);
  } else if (condition.has_action()) {
    verdict = ActionVerdict(condition.action(), ledger, words);
  } else if (condition.has_after_scenario_time_s()) {
    const double at_s = condition.after_scenario_time_s();
    verdict = ClockVerdict(now_s + 1e-6 >= at_s, at_s);
    if (explain) verdict.why = fmt::format("scenario clock at {}", Clock(at_s));
  } else if (condition.has_after_time_in_state_s()) {
    const double after_s = condition.after_time_in_state_s();
    verdict = ClockVerdict(now_s - ledger.state_entered_s() + 1e-6 >= after_s,
                           ledger.state_entered_s() + after_s);
    if (explain) verdict.why = fmt::format("{:g} s in the state", after_s);
  }
  return verdict;
}

}  // namespace

ConditionVerdict CheckCondition(const v1::Condition& condition, const ActionLedger& ledger,
                                double now_s) {
  return EvaluateLabelled(condition, ledger, now_s, Words::kNone);
}

ConditionVerdict EvaluateCondition(const v1::Condition& condition, const ActionLedger& ledger,
                                   double now_s) {
  return EvaluateLabelled(condition, ledger, now_s, Words::kExplain);
}

}  // namespace pedisim::engine

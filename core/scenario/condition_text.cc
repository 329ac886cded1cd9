#include "core/scenario/condition_text.h"

#include <fmt/format.h>

#include <vector>

#include "core/text/enum_names.h"

namespace pedisim::scenario {
namespace {

template <typename Parts>
std::string JoinParts(const Parts& parts, const char* separator) {
  std::string joined;
  for (const v1::Condition& part : parts) {
    if (!joined.empty()) joined += separator;
    const bool compound = !part.all_of().empty() || !part.any_of().empty();
    joined += compound ? fmt::format("({})", DescribeCondition(part)) : DescribeCondition(part);
  }
  return joined;
}

}  // namespace

std::string ActionTriggerName(const v1::ActionTrigger& trigger) {
  if (trigger.kind() == v1::ACTION_KIND_DRUG && !trigger.drug().empty()) return trigger.drug();
  if (trigger.kind() == v1::ACTION_KIND_DIAGNOSTIC_ORDERED && !trigger.diagnostic().empty()) {
    return trigger.diagnostic();
  }
  std::string name = text::ShortEnumName(trigger.kind());
  if (trigger.sensor() != v1::MONITOR_SENSOR_UNSPECIFIED) {
    name += fmt::format(" {}", text::ShortEnumName(trigger.sensor()));
  }
  if (trigger.confirmation() != v1::TUBE_CONFIRMATION_UNSPECIFIED) {
    name += fmt::format(" by {}", text::ShortEnumName(trigger.confirmation()));
  }
  return name;
}

std::string DescribeCondition(const v1::Condition& condition) {
  if (!condition.label().empty()) return condition.label();
  if (!condition.all_of().empty()) return JoinParts(condition.all_of(), " and ");
  if (!condition.any_of().empty()) return JoinParts(condition.any_of(), " or ");
  if (!condition.none_of().empty())
    return fmt::format("not {}", JoinParts(condition.none_of(), " or not "));
  if (condition.has_quantity()) {
    const v1::QuantityCondition& quantity = condition.quantity();
    std::string text = quantity.quantity();
    if (quantity.has_at_least()) text += fmt::format(" >= {:g}", quantity.at_least());
    if (quantity.has_at_most()) text += fmt::format(" <= {:g}", quantity.at_most());
    if (quantity.has_below()) text += fmt::format(" < {:g}", quantity.below());
    return text;
  }
  if (condition.has_action()) {
    const v1::ActionTrigger& action = condition.action();
    std::string text = ActionTriggerName(action);
    if (action.count() > 1) text += fmt::format(" x{}", action.count());
    return fmt::format("{} given", text);
  }
  if (condition.has_after_scenario_time_s()) {
    return fmt::format("scenario time {:g} s", condition.after_scenario_time_s());
  }
  if (condition.has_after_time_in_state_s()) {
    return fmt::format("{:g} s in state", condition.after_time_in_state_s());
  }
  return "never (empty condition)";
}

}  // namespace pedisim::scenario

// Checks of quantities and conditions (conditions.proto): what each must
// name and set, and the lint about a quantity no condition uses and a
// condition that can never hold.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/scenario/check_parts.h"
#include "core/scenario/spelling.h"

namespace pedisim::scenario::checks {
namespace {

using v1::Condition;
using v1::Quantity;
using v1::QuantityCondition;

bool IsDrugKind(v1::QuantityKind kind) {
  return kind == v1::QUANTITY_KIND_DRUG_MG_PER_KG || kind == v1::QUANTITY_KIND_DRUG_MCG_PER_KG ||
         kind == v1::QUANTITY_KIND_DRUG_MG || kind == v1::QUANTITY_KIND_DRUG_DOSES;
}

// The members of a Condition the author set, by name.
std::vector<std::string> MembersSet(const Condition& condition) {
  std::vector<std::string> set;
  if (!condition.all_of().empty()) set.emplace_back("all_of");
  if (!condition.any_of().empty()) set.emplace_back("any_of");
  if (!condition.none_of().empty()) set.emplace_back("none_of");
  if (condition.has_quantity()) set.emplace_back("quantity");
  if (condition.has_action()) set.emplace_back("action");
  if (condition.has_after_scenario_time_s()) set.emplace_back("after_scenario_time_s");
  if (condition.has_after_time_in_state_s()) set.emplace_back("after_time_in_state_s");
  return set;
}

void CheckQuantityCondition(const QuantityCondition& condition, const std::string& path,
                            const std::vector<std::string>& quantity_names, DiagnosticSink& sink) {
  if (condition.quantity().empty()) {
    sink.ErrorAtKey(path + ".quantity", "quantity condition names no quantity");
  } else if (!Contains(quantity_names, condition.quantity())) {
    std::string message = Quoted(condition.quantity()) + " is not a quantity of this scenario";
    if (std::optional<std::string> close = SuggestClosest(condition.quantity(), quantity_names)) {
      message += "; did you mean " + Quoted(*close) + "?";
    } else if (quantity_names.empty()) {
      message += "; define it under `quantities`";
    } else {
      message += "; use one of " + JoinNames(quantity_names);
    }
    sink.ErrorAtValue(path + ".quantity", std::move(message));
  }
  if (!condition.has_at_least() && !condition.has_at_most() && !condition.has_below()) {
    sink.ErrorAtKey(path, "quantity condition needs a threshold: set at_least, at_most or below");
  }
  if (condition.has_at_least()) {
    CheckNotNegative(condition.at_least(), path + ".at_least", "at_least", sink);
  }
  if (condition.has_at_most()) {
    CheckNotNegative(condition.at_most(), path + ".at_most", "at_most", sink);
  }
}

void CheckCondition(const Condition& condition, const std::string& path,
                    const std::vector<std::string>& quantity_names, DiagnosticSink& sink) {
  const std::vector<std::string> members = MembersSet(condition);
  if (members.empty()) {
    sink.ErrorAtKey(path,
                    "condition is empty; set one of all_of, any_of, none_of, quantity, action, "
                    "after_scenario_time_s or after_time_in_state_s");
    return;
  }
  if (members.size() > 1) {
    sink.ErrorAtKey(path, "a condition sets exactly one of its members, got " + JoinNames(members) +
                              "; combine them under all_of or any_of");
  }
  const auto parts = [&](const auto& list, const char* name) {
    for (int i = 0; i < list.size(); ++i) {
      CheckCondition(list.Get(i), path + "." + Indexed(name, i), quantity_names, sink);
    }
  };
  parts(condition.all_of(), "all_of");
  parts(condition.any_of(), "any_of");
  parts(condition.none_of(), "none_of");
  if (condition.has_quantity()) {
    CheckQuantityCondition(condition.quantity(), path + ".quantity", quantity_names, sink);
  }
  if (condition.has_action()) {
    CheckActionTrigger(condition.action(), path + ".action", "this condition may never hold", sink);
    if (condition.action().within_s() != 0) {
      sink.ErrorAtValue(path + ".action.within_s",
                        "within_s is not used in a condition's action; count the actions with "
                        "a quantity (kind matching_actions) whose window says within what");
    }
  }
  if (condition.has_after_scenario_time_s()) {
    CheckNotNegative(condition.after_scenario_time_s(), path + ".after_scenario_time_s",
                     "after_scenario_time_s", sink);
  }
  if (condition.has_after_time_in_state_s()) {
    CheckNotNegative(condition.after_time_in_state_s(), path + ".after_time_in_state_s",
                     "after_time_in_state_s", sink);
  }
}

void CheckQuantity(const Quantity& quantity, const std::string& path,
                   const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  if (quantity.name().empty()) sink.ErrorAtKey(path + ".name", "quantity has no name");
  if (quantity.kind() == v1::QUANTITY_KIND_UNSPECIFIED) {
    sink.ErrorAtKey(path + ".kind", "quantity has no kind");
  }
  if (IsDrugKind(quantity.kind()) && quantity.drug().empty()) {
    sink.ErrorAtKey(path + ".drug", "a drug quantity names its drug");
  }
  if (!IsDrugKind(quantity.kind()) && quantity.kind() != v1::QUANTITY_KIND_UNSPECIFIED &&
      !quantity.drug().empty()) {
    sink.WarningAtValue(path + ".drug", "drug is used only by the drug kinds; it is ignored here");
  }
  if (quantity.kind() == v1::QUANTITY_KIND_MATCHING_ACTIONS) {
    CheckActionTrigger(quantity.action(), path + ".action", "this quantity stays 0", sink);
  } else if (quantity.has_action()) {
    sink.WarningAtKey(path + ".action",
                      "action is used only by kind matching_actions; it is ignored here");
  }
  const std::string& from_state = quantity.window().from_state();
  if (!from_state.empty() && !Contains(state_names, from_state)) {
    sink.ErrorAtValue(path + ".window.from_state",
                      NotAStateMessage("from_state", from_state, state_names));
  }
  CheckNotNegative(quantity.window().within_s(), path + ".window.within_s", "within_s", sink);
}

// The values a quantity can take that satisfy the thresholds set on it:
// [low, high], or [low, high) when high is a `below`. Quantities are never
// negative.
struct Interval {
  double low = 0;
  double high = std::numeric_limits<double>::infinity();
  bool high_open = false;

  void Narrow(const QuantityCondition& condition) {
    if (condition.has_at_least()) low = std::max(low, condition.at_least());
    if (condition.has_at_most() && condition.at_most() < high) {
      high = condition.at_most();
      high_open = false;
    }
    if (condition.has_below() && condition.below() <= high) {
      high = condition.below();
      high_open = true;
    }
  }
  bool Empty() const { return low > high || (low == high && high_open); }
};

bool AlwaysHolds(const Condition& condition);

bool NeverHolds(const Condition& condition) {
  if (!condition.all_of().empty()) {
    std::map<std::string, Interval> per_quantity;
    for (const Condition& part : condition.all_of()) {
      if (NeverHolds(part)) return true;
      if (part.has_quantity()) per_quantity[part.quantity().quantity()].Narrow(part.quantity());
    }
    return std::any_of(per_quantity.begin(), per_quantity.end(),
                       [](const auto& entry) { return entry.second.Empty(); });
  }
  if (!condition.any_of().empty()) {
    return std::all_of(condition.any_of().begin(), condition.any_of().end(), NeverHolds);
  }
  if (!condition.none_of().empty()) {
    return std::any_of(condition.none_of().begin(), condition.none_of().end(), AlwaysHolds);
  }
  if (condition.has_quantity()) {
    Interval interval;
    interval.Narrow(condition.quantity());
    return interval.Empty();
  }
  return false;
}

bool AlwaysHolds(const Condition& condition) {
  if (!condition.all_of().empty()) {
    return std::all_of(condition.all_of().begin(), condition.all_of().end(), AlwaysHolds);
  }
  if (!condition.any_of().empty()) {
    return std::any_of(condition.any_of().begin(), condition.any_of().end(), AlwaysHolds);
  }
  if (!condition.none_of().empty()) {
    return std::all_of(condition.none_of().begin(), condition.none_of().end(), NeverHolds);
  }
  if (condition.has_quantity()) {
    const QuantityCondition& quantity = condition.quantity();
    return !quantity.has_at_most() && !quantity.has_below() &&
           (!quantity.has_at_least() || quantity.at_least() <= 0);
  }
  if (condition.has_after_scenario_time_s()) return condition.after_scenario_time_s() <= 0;
  if (condition.has_after_time_in_state_s()) return condition.after_time_in_state_s() <= 0;
  return false;
}

void CollectUsed(const Condition& condition, std::set<std::string>& used) {
  if (condition.has_quantity()) used.insert(condition.quantity().quantity());
  for (const Condition& part : condition.all_of()) CollectUsed(part, used);
  for (const Condition& part : condition.any_of()) CollectUsed(part, used);
  for (const Condition& part : condition.none_of()) CollectUsed(part, used);
}

// Calls `visit` with every condition of the scenario and its path.
template <typename Visit>
void ForEachCondition(const v1::Scenario& scenario, Visit visit) {
  for (int i = 0; i < scenario.states_size(); ++i) {
    const v1::State& state = scenario.states(i);
    for (int j = 0; j < state.transitions_size(); ++j) {
      if (!state.transitions(j).has_when()) continue;
      visit(state.transitions(j).when(),
            Indexed("states", i) + "." + Indexed("transitions", j) + ".when");
    }
  }
  for (int i = 0; i < scenario.critical_actions_size(); ++i) {
    if (!scenario.critical_actions(i).has_condition()) continue;
    visit(scenario.critical_actions(i).condition(), Indexed("critical_actions", i) + ".condition");
  }
}

}  // namespace

void CheckConditions(const v1::Scenario& scenario, const std::vector<std::string>& state_names,
                     DiagnosticSink& sink) {
  std::vector<std::string> quantity_names;
  std::map<std::string, std::string> first_path;
  for (int i = 0; i < scenario.quantities_size(); ++i) {
    const std::string path = Indexed("quantities", i);
    const Quantity& quantity = scenario.quantities(i);
    CheckQuantity(quantity, path, state_names, sink);
    if (quantity.name().empty()) continue;
    if (auto [first, inserted] = first_path.emplace(quantity.name(), path + ".name"); !inserted) {
      sink.ErrorAtValue(path + ".name", "duplicate quantity " + Quoted(quantity.name()) +
                                            "; first defined at " +
                                            sink.LineOf(first->second, path + ".name"));
    }
    quantity_names.push_back(quantity.name());
  }
  ForEachCondition(scenario, [&](const Condition& condition, const std::string& path) {
    CheckCondition(condition, path, quantity_names, sink);
  });
}

void LintConditions(const v1::Scenario& scenario, DiagnosticSink& sink) {
  std::set<std::string> used;
  ForEachCondition(scenario, [&](const Condition& condition, const std::string& path) {
    CollectUsed(condition, used);
    if (NeverHolds(condition)) {
      sink.WarningAtKey(path,
                        "this condition can never hold (contradictory thresholds on one "
                        "quantity, or NOT of something always true)");
    } else if (AlwaysHolds(condition)) {
      sink.WarningAtKey(path, "this condition always holds; it fires at once");
    }
  });
  for (int i = 0; i < scenario.quantities_size(); ++i) {
    if (used.contains(scenario.quantities(i).name())) continue;
    sink.WarningAtValue(Indexed("quantities", i) + ".name",
                        "quantity " + Quoted(scenario.quantities(i).name()) +
                            " is defined but no condition uses it");
  }
}

}  // namespace pedisim::scenario::checks

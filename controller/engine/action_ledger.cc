#include "controller/engine/action_ledger.h"

#include <algorithm>

#include "controller/engine/action_match.h"
#include "core/text/words.h"

namespace pedisim::engine {
namespace {

// Actions land on 0.1 s steps; one exactly at a window's end still counts.
constexpr double kTimeEpsilonS = 1e-6;

void KeepKindsOf(const v1::Condition& condition, std::set<v1::ActionKind>& kinds) {
  if (condition.has_action()) kinds.insert(condition.action().kind());
  for (const v1::Condition& part : condition.all_of()) KeepKindsOf(part, kinds);
  for (const v1::Condition& part : condition.any_of()) KeepKindsOf(part, kinds);
  for (const v1::Condition& part : condition.none_of()) KeepKindsOf(part, kinds);
}

// The kinds each quantity kind counts (MATCHING_ACTIONS: its trigger's).
void KeepKindsOf(const v1::Quantity& quantity, std::set<v1::ActionKind>& kinds) {
  switch (quantity.kind()) {
    case v1::QUANTITY_KIND_FLUID_ML_PER_KG:
      kinds.insert(v1::ACTION_KIND_FLUID_BOLUS);
      break;
    case v1::QUANTITY_KIND_DRUG_MG_PER_KG:
    case v1::QUANTITY_KIND_DRUG_MCG_PER_KG:
    case v1::QUANTITY_KIND_DRUG_MG:
    case v1::QUANTITY_KIND_DRUG_DOSES:
      kinds.insert(v1::ACTION_KIND_DRUG);
      break;
    case v1::QUANTITY_KIND_SHOCKS:
      kinds.insert(v1::ACTION_KIND_DEFIBRILLATION);
      kinds.insert(v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION);
      break;
    case v1::QUANTITY_KIND_OXYGEN_S:
      kinds.insert(v1::ACTION_KIND_OXYGEN);
      break;
    case v1::QUANTITY_KIND_COMPRESSIONS_S:
      kinds.insert(v1::ACTION_KIND_CHEST_COMPRESSIONS_START);
      kinds.insert(v1::ACTION_KIND_CHEST_COMPRESSIONS_STOP);
      break;
    case v1::QUANTITY_KIND_MATCHING_ACTIONS:
      kinds.insert(quantity.action().kind());
      break;
    default:
      break;
  }
}

bool IsShock(v1::ActionKind kind) {
  return kind == v1::ACTION_KIND_DEFIBRILLATION ||
         kind == v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION;
}

// How much one action adds to a counted (not timed) quantity.
double Amount(const v1::Quantity& quantity, const v1::LearnerAction& action, double weight_kg) {
  const double kg = weight_kg > 0 ? weight_kg : 1;
  const bool named_drug =
      action.kind() == v1::ACTION_KIND_DRUG && text::SameWord(quantity.drug(), action.drug());
  switch (quantity.kind()) {
    case v1::QUANTITY_KIND_FLUID_ML_PER_KG:
      return action.kind() == v1::ACTION_KIND_FLUID_BOLUS ? action.volume_ml() / kg : 0;
    case v1::QUANTITY_KIND_DRUG_MG_PER_KG:
      return named_drug ? action.dose_mg() / kg : 0;
    case v1::QUANTITY_KIND_DRUG_MCG_PER_KG:
      return named_drug ? action.dose_mg() * 1000 / kg : 0;
    case v1::QUANTITY_KIND_DRUG_MG:
      return named_drug ? action.dose_mg() : 0;
    case v1::QUANTITY_KIND_DRUG_DOSES:
      return named_drug ? 1 : 0;
    case v1::QUANTITY_KIND_SHOCKS:
      return IsShock(action.kind()) ? 1 : 0;
    case v1::QUANTITY_KIND_MATCHING_ACTIONS:
      return MatchesAction(quantity.action(), action, weight_kg) ? 1 : 0;
    default:
      return 0;
  }
}

}  // namespace

ActionLedger::ActionLedger(const v1::Scenario& scenario, double weight_kg) : weight_kg_(weight_kg) {
  for (const v1::Quantity& quantity : scenario.quantities()) {
    quantities_.emplace(quantity.name(), &quantity);
    KeepKindsOf(quantity, kept_kinds_);
  }
  for (const v1::State& state : scenario.states()) {
    for (const v1::Transition& transition : state.transitions()) {
      if (transition.has_when()) KeepKindsOf(transition.when(), kept_kinds_);
    }
  }
  for (const v1::CriticalAction& critical : scenario.critical_actions()) {
    if (critical.has_condition()) KeepKindsOf(critical.condition(), kept_kinds_);
  }
}

void ActionLedger::RecordAction(uint64_t event_id, double time_s, const v1::LearnerAction& action) {
  if (kept_kinds_.contains(action.kind())) entries_.push_back({event_id, time_s, action});
}

void ActionLedger::RecordStateEntered(const std::string& state, double time_s) {
  first_entered_s_.emplace(state, time_s);
  state_entered_s_ = time_s;
}

const v1::Quantity* ActionLedger::FindQuantity(const std::string& name) const {
  const auto it = quantities_.find(name);
  return it == quantities_.end() ? nullptr : it->second;
}

std::optional<ActionLedger::Total> ActionLedger::TotalOf(const std::string& name,
                                                         double now_s) const {
  const v1::Quantity* quantity = FindQuantity(name);
  if (!quantity) return std::nullopt;
  return Compute(*quantity, now_s);
}

ActionLedger::Total ActionLedger::Compute(const v1::Quantity& quantity, double now_s) const {
  Total total;
  double opens_s = 0;
  if (!quantity.window().from_state().empty()) {
    const auto it = first_entered_s_.find(quantity.window().from_state());
    if (it == first_entered_s_.end()) return total;  // not open yet: nothing counted
    opens_s = it->second;
  }
  const double closes_s = quantity.window().within_s() > 0
                              ? opens_s + quantity.window().within_s() + kTimeEpsilonS
                              : now_s + kTimeEpsilonS;
  const double counted_until_s = std::min(now_s, closes_s);
  const bool timed = quantity.kind() == v1::QUANTITY_KIND_OXYGEN_S ||
                     quantity.kind() == v1::QUANTITY_KIND_COMPRESSIONS_S;
  if (timed) {
    // Intervals of the intervention, clipped to the window.
    std::optional<double> running_since_s;
    auto close_interval = [&](double end_s, const Entry& entry) {
      const double from = std::max(*running_since_s, opens_s);
      const double to = std::min(end_s, counted_until_s);
      if (to > from) {
        total.value += to - from;
        total.last_event_id = entry.event_id;
        total.last_time_s = entry.time_s;
      }
      running_since_s.reset();
    };
    const Entry* started = nullptr;
    for (const Entry& entry : entries_) {
      const v1::ActionKind kind = entry.action.kind();
      const bool starts = (quantity.kind() == v1::QUANTITY_KIND_OXYGEN_S)
                              ? kind == v1::ACTION_KIND_OXYGEN
                              : kind == v1::ACTION_KIND_CHEST_COMPRESSIONS_START;
      if (starts && !running_since_s) {
        running_since_s = entry.time_s;
        started = &entry;
      } else if (kind == v1::ACTION_KIND_CHEST_COMPRESSIONS_STOP && running_since_s &&
                 quantity.kind() == v1::QUANTITY_KIND_COMPRESSIONS_S) {
        close_interval(entry.time_s, *started);
      }
    }
    if (running_since_s) close_interval(now_s, *started);
    return total;
  }
  for (const Entry& entry : entries_) {
    if (entry.time_s + kTimeEpsilonS < opens_s || entry.time_s > counted_until_s) continue;
    const double amount = Amount(quantity, entry.action, weight_kg_);
    if (amount == 0) continue;
    total.value += amount;
    total.last_event_id = entry.event_id;
    total.last_time_s = entry.time_s;
  }
  return total;
}

std::string QuantityUnit(v1::QuantityKind kind) {
  switch (kind) {
    case v1::QUANTITY_KIND_FLUID_ML_PER_KG:
      return "mL/kg";
    case v1::QUANTITY_KIND_DRUG_MG_PER_KG:
      return "mg/kg";
    case v1::QUANTITY_KIND_DRUG_MCG_PER_KG:
      return "mcg/kg";
    case v1::QUANTITY_KIND_DRUG_MG:
      return "mg";
    case v1::QUANTITY_KIND_DRUG_DOSES:
      return "doses";
    case v1::QUANTITY_KIND_SHOCKS:
      return "shocks";
    case v1::QUANTITY_KIND_OXYGEN_S:
    case v1::QUANTITY_KIND_COMPRESSIONS_S:
      return "s";
    case v1::QUANTITY_KIND_MATCHING_ACTIONS:
      return "actions";
    default:
      return "";
  }
}

}  // namespace pedisim::engine

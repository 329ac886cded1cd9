#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pedisim/v1/scenario.pb.h"

namespace pedisim::engine {

// The part of a session that quantities and conditions (conditions.proto)
// read: the learner actions that any of them can count, and when each state
// was entered. The engine and the assessor each keep one, fed with the same
// events, so both compute the same totals from the log alone.
class ActionLedger {
 public:
  struct Entry {
    uint64_t event_id;
    double time_s;
    v1::LearnerAction action;
  };
  // A quantity's value now and the last action counted in it (0 for none).
  struct Total {
    double value = 0;
    uint64_t last_event_id = 0;
    double last_time_s = 0;
  };

  // `scenario` must outlive the ledger.
  ActionLedger(const v1::Scenario& scenario, double weight_kg);

  // A learner action logged at time_s; kinds no quantity or condition can
  // count (the thousands of single compressions of a resuscitation) are
  // not kept.
  void RecordAction(uint64_t event_id, double time_s, const v1::LearnerAction& action);
  void RecordStateEntered(const std::string& state, double time_s);

  // The quantity named `name` at now_s; nullopt when the scenario has none.
  std::optional<Total> TotalOf(const std::string& name, double now_s) const;
  const v1::Quantity* FindQuantity(const std::string& name) const;
  // Actions kept so far, in the order logged.
  const std::vector<Entry>& entries() const { return entries_; }
  double weight_kg() const { return weight_kg_; }
  // When the current state was entered (0 before any entry).
  double state_entered_s() const { return state_entered_s_; }

 private:
  Total Compute(const v1::Quantity& quantity, double now_s) const;

  double weight_kg_;
  std::map<std::string, const v1::Quantity*> quantities_;
  std::set<v1::ActionKind> kept_kinds_;
  std::vector<Entry> entries_;
  std::map<std::string, double> first_entered_s_;
  double state_entered_s_ = 0;
};

// The unit a quantity's value is in, for explanations ("mL/kg", "shocks").
std::string QuantityUnit(v1::QuantityKind kind);

}  // namespace pedisim::engine

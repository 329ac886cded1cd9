#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/engine/vital_trends.h"
#include "controller/scenario/vital_fields.h"
#include "pedisim/v1/event.pb.h"
#include "pedisim/v1/scenario.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::engine {

// The simulation of one scenario as a pure function of (scenario, seed, input
// events): no clocks, no threads, no I/O. Simulated time advances only in
// Step(), in fixed increments; inputs are applied between steps. Given the
// same inputs at the same steps it produces the same vitals and events, bit
// for bit, which is what makes replay and regression fixtures possible.
//
// Events it returns carry everything but id and wall_time, which the caller
// (the session) assigns when it records them.
class Engine {
 public:
  static constexpr double kStepS = 0.1;  // 10 Hz numerics

  // `scenario` must have passed the scenario linter.
  Engine(v1::Scenario scenario, uint64_t seed);
  // It points into its own scenario_, so it is neither copied nor moved.
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The entry into the initial state, at time zero.
  std::vector<v1::Event> Begin();

  // Applies an input event that has already been given its id and the
  // current sim time: a learner action, an instructor's state change or a
  // vitals override/release. Other kinds are ignored.
  std::vector<v1::Event> Apply(const v1::Event& input);

  // Advances simulated time by one step and fires what falls due.
  std::vector<v1::Event> Step();

  double sim_time_s() const { return static_cast<double>(step_) * kStepS; }
  double time_in_state_s() const {
    return static_cast<double>(step_ - state_entered_step_) * kStepS;
  }
  const std::string& current_state() const { return current_->name(); }
  bool completed() const { return current_->terminal(); }
  uint64_t seed() const { return seed_; }
  const v1::Scenario& scenario() const { return scenario_; }

  v1::Vitals Vitals() const { return trends_.Snapshot(sim_time_s()); }
  // Vitals field names (and "rhythm") held by an instructor override.
  std::vector<std::string> Overridden() const;
  std::vector<v1::PendingTransition> PendingTransitions() const;

  // Whether `name` is a state of the scenario.
  bool HasState(const std::string& name) const { return FindState(name) != nullptr; }

 private:
  struct Scheduled {
    const v1::Transition* transition;
    int64_t fire_step;
    uint64_t cause_event_id;
  };
  struct LoggedAction {
    uint64_t event_id;
    v1::LearnerAction action;
  };

  const v1::State* FindState(const std::string& name) const;
  void EnterState(const v1::State& state, const std::string& label, uint64_t cause_event_id,
                  v1::Agent agent, bool emit, std::vector<v1::Event>& out);
  void EvaluateTransitions(std::vector<v1::Event>& out);
  // The event that makes `transition` fire now, if it holds (0 for a timer).
  std::optional<uint64_t> TriggerCause(const v1::Transition& transition) const;
  void Fire(const v1::Transition& transition, uint64_t cause_event_id, std::vector<v1::Event>& out);
  void ApplyOverride(const v1::Event& input);
  double TrendDuration(const v1::State& state, const scenario::VitalField& field) const;
  v1::Event MakeEvent(v1::EventKind kind, v1::Agent agent, uint64_t cause,
                      std::string summary) const;

  v1::Scenario scenario_;
  uint64_t seed_;
  int64_t step_ = 0;
  int64_t state_entered_step_ = 0;
  const v1::State* current_ = nullptr;
  VitalTrends trends_;
  // What the script alone would show, for handing an override back.
  std::array<double, scenario::kVitalFieldCount> script_targets_{};
  v1::Rhythm script_rhythm_ = v1::RHYTHM_SINUS;
  std::array<bool, scenario::kVitalFieldCount> overridden_{};
  bool rhythm_overridden_ = false;
  std::vector<LoggedAction> actions_in_state_;
  std::optional<Scheduled> scheduled_;
  std::set<const v1::Transition*> fired_scenario_timers_;
  // State entries within one step or input, bounded by kMaxChainedEntries.
  int chained_entries_ = 0;
  static constexpr int kMaxChainedEntries = 16;
};

}  // namespace pedisim::engine

#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/engine/action_ledger.h"
#include "controller/engine/cpr_tracker.h"
#include "controller/engine/pharmacology.h"
#include "controller/engine/ventilation.h"
#include "controller/engine/vital_effects.h"
#include "controller/engine/vital_trends.h"
#include "core/vitals/vital_table.h"
#include "pedisim/v1/event.pb.h"
#include "pedisim/v1/scenario.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::engine {

// Names the engine's behaviour in records: a record regenerates its waveforms
// only with the engine that wrote it. Change it when the engine's output for
// the same inputs changes.
inline constexpr const char* kEngineVersion = "pedisim-engine 2";

// The simulation of one scenario as a pure function of (scenario, seed, input
// events): no clocks, no threads, no I/O. Simulated time advances only in
// Step(), in fixed increments; inputs are applied between steps. Given the
// same inputs at the same steps it produces the same vitals and events, bit
// for bit, which is what makes replay and regression fixtures possible.
//
// Where the engine's events go. The session's log records each one as it
// comes, stamps its id (the log is the one place ids are assigned) and
// returns that id, which later events and the vitals name as their cause.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual uint64_t Emit(v1::Event event) = 0;
};

// A sink for callers that are their own log (tests, benchmarks): numbers
// events from `next_id` and keeps them.
class EventBatch final : public EventSink {
 public:
  explicit EventBatch(uint64_t next_id) : next_id_(next_id) {}
  uint64_t Emit(v1::Event event) override {
    event.set_id(next_id_++);
    events_.push_back(std::move(event));
    return events_.back().id();
  }
  std::vector<v1::Event> Take() { return std::move(events_); }

 private:
  uint64_t next_id_;
  std::vector<v1::Event> events_;
};

// The engine hands each event to an EventSink as it happens; wall_time is
// left to the sink.
class Engine {
 public:
  static constexpr double kStepS = 0.1;  // 10 Hz numerics

  // `scenario` must have passed the scenario checks.
  Engine(v1::Scenario scenario, uint64_t seed);
  // It points into its own scenario_, so it is neither copied nor moved.
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The entry into the initial state, at time zero.
  void Begin(EventSink& out);

  // Applies an input event that has already been recorded with its id at the
  // current sim time: a learner action, an instructor's state change or a
  // vitals override/release. Other kinds are ignored.
  void Apply(const v1::Event& input, EventSink& out);

  // Advances simulated time by one step and fires what falls due.
  void Step(EventSink& out);

  // The same for a caller that is its own log: the events, numbered from
  // `next_event_id`.
  std::vector<v1::Event> Begin(uint64_t next_event_id);
  std::vector<v1::Event> Apply(const v1::Event& input, uint64_t next_event_id);
  std::vector<v1::Event> Step(uint64_t next_event_id);

  double sim_time_s() const { return static_cast<double>(step_) * kStepS; }
  // Steps taken so far: simulated time in whole steps.
  uint64_t step() const { return static_cast<uint64_t>(step_); }
  double time_in_state_s() const {
    return static_cast<double>(step_ - state_entered_step_) * kStepS;
  }
  const std::string& current_state() const { return current_->name(); }
  bool completed() const { return current_->terminal(); }
  uint64_t seed() const { return seed_; }
  const v1::Scenario& scenario() const { return scenario_; }
  const v1::AgeBand& age_band() const { return age_band_; }
  double weight_kg() const { return weight_kg_; }

  // What the monitor shows now: scripted trends, handler effects, instructor
  // overrides, physiological coupling and seeded noise, with the abnormal
  // and alarming parameters and the cause of each value.
  v1::VitalsSample Sample() const;
  // The numbers alone, without the flags and causes Sample() adds: what the
  // per-step waveform inputs and snapshots need.
  v1::Vitals Vitals() const { return MonitorValues(/*with_noise=*/true); }
  // The values on_vital triggers read: the monitor's, without the noise.
  v1::Vitals TriggerVitals() const { return MonitorValues(/*with_noise=*/false); }
  // What the manikin shows now.
  v1::Findings Findings() const;
  // False in VF, asystole, PEA and VT or torsades without a central pulse.
  // A handler's rhythm for a while (Handler.rhythm_effect) is no arrest and
  // does not change it.
  bool PulsePresent() const;
  // The rhythm the monitor shows: a handler's for a while, else the
  // script's or the instructor's.
  v1::Rhythm ShownRhythm() const;
  const CprTracker& cpr() const { return cpr_; }
  const Pharmacology& pharmacology() const { return pharmacology_; }
  const Ventilation& ventilation() const { return ventilation_; }

  // Vitals field names (and "rhythm") held by an instructor override.
  std::vector<std::string> Overridden() const;
  std::vector<v1::PendingTransition> PendingTransitions() const;
  bool HasState(const std::string& name) const { return FindState(name) != nullptr; }

 private:
  struct Scheduled {
    const v1::Transition* transition;
    int64_t fire_step;
    uint64_t cause_event_id;
    // Why a `when` transition fired, in words; empty for other triggers.
    std::string reason;
  };
  struct LoggedAction {
    uint64_t event_id;
    int64_t step;
    v1::LearnerAction action;
    // For a shock in a state with shock odds: whether it ended the rhythm.
    std::optional<bool> shock_terminated;
  };

  const v1::State* FindState(const std::string& name) const;
  void EnterState(const v1::State& state, const std::string& label, uint64_t cause_event_id,
                  v1::Agent agent, std::optional<uint64_t> recorded_as, EventSink& out,
                  const std::string& reason = "");
  void EvaluateTransitions(EventSink& out);
  // The event that makes `transition` fire now, if it holds (0 for a timer).
  std::optional<uint64_t> TriggerCause(const v1::Transition& transition);
  std::optional<uint64_t> ActionTriggerCause(const v1::ActionTrigger& trigger) const;
  std::optional<uint64_t> VitalTriggerCause(const v1::Transition& transition);
  // Sets condition_reason_ when the condition holds.
  std::optional<uint64_t> ConditionCause(const v1::Condition& condition);
  void Fire(const v1::Transition& transition, uint64_t cause_event_id, EventSink& out);
  void ApplyOverride(const v1::Event& input);
  void ApplyHandlers(const v1::Event& action, EventSink& out);
  // Counts a shock and, in a state whose shocks can fail, decides and
  // records whether it ended the rhythm.
  std::optional<bool> DeliverShock(const v1::Event& action, EventSink& out);
  void ChangeFindings(const v1::Findings& change, uint64_t cause_event_id, EventSink& out);
  // A drug, fluid or oxygen the pharmacology layer models: records what it
  // is (EVENT_KIND_DRUG_EFFECT), which the vitals it moves name as cause.
  void GiveDrug(const v1::Event& action, EventSink& out);
  // Steps the pharmacology layer and records toxic effects beginning or
  // ending.
  void AdvanceDrugs(EventSink& out);
  double TrendDuration(const v1::State& state, const vitals::VitalField& field) const;
  // Scripted or overridden trend plus handler and drug effects, before
  // coupling.
  double UnderlyingValue(int field) const;
  // The same without the drugs: what a drug's response moves from.
  double ValueWithoutDrugs(int field) const;
  // What the monitor reads: coupling applied, noise optional. Triggers see
  // the same values as learners, without the noise.
  v1::Vitals MonitorValues(bool with_noise) const;
  bool MeanIsDerived() const;
  // The event that last set `field` moving.
  uint64_t CauseOf(int field) const;
  // Whether a transition of the current state waits for this kind of action.
  bool CurrentStateWaitsFor(const v1::LearnerAction& action) const;
  // An event of the engine's at the current sim time, for EventSink::Emit.
  v1::Event NewEvent(v1::EventKind kind, v1::Agent agent, uint64_t cause,
                     std::string summary) const;

  v1::Scenario scenario_;
  uint64_t seed_;
  double weight_kg_;
  v1::AgeBand age_band_;
  double noise_scale_;
  int64_t step_ = 0;
  int64_t state_entered_step_ = 0;
  const v1::State* current_ = nullptr;
  VitalTrends trends_;
  // What the script alone would show, for handing an override back.
  std::array<double, vitals::kVitalFieldCount> script_targets_{};
  v1::Rhythm script_rhythm_ = v1::RHYTHM_SINUS;
  std::array<bool, vitals::kVitalFieldCount> overridden_{};
  bool rhythm_overridden_ = false;
  // A handler's rhythm for a while (Handler.rhythm_effect): shown until
  // the step it ends at, over the script's, under an instructor's override.
  struct TransientRhythm {
    v1::Rhythm rhythm;
    int64_t end_step;
  };
  std::optional<TransientRhythm> transient_rhythm_;
  // The event that last set each parameter's trend moving.
  std::array<uint64_t, vitals::kVitalFieldCount> trend_cause_{};
  v1::Findings findings_;
  VitalEffects effects_;
  Pharmacology pharmacology_;
  CprTracker cpr_;
  Ventilation ventilation_;
  std::vector<int> handler_matches_;  // matching actions seen, per handler
  // Shocks given so far in the session: the attempt number of the next one
  // is one more.
  uint32_t shocks_given_ = 0;
  std::vector<LoggedAction> actions_in_state_;
  std::map<const v1::Transition*, int64_t> vital_crossed_since_step_;
  std::optional<Scheduled> scheduled_;
  std::set<const v1::Transition*> fired_scenario_timers_;
  // What quantities and conditions (Transition.when) read.
  ActionLedger ledger_;
  // Why the `when` transition being fired holds, from ConditionCause.
  std::string condition_reason_;
  // State entries within one step or input, bounded by kMaxChainedEntries.
  int chained_entries_ = 0;
  static constexpr int kMaxChainedEntries = 16;
};

}  // namespace pedisim::engine

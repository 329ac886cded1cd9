#include "controller/engine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include "controller/engine/action_match.h"
#include "controller/engine/condition_eval.h"
#include "controller/engine/shock_outcome.h"
#include "core/patient/patient_size.h"
#include "core/scenario/scenario_loader.h"
#include "core/vitals/age_bands.h"

namespace pedisim::engine {

namespace {

using vitals::kVitalFieldCount;
using vitals::VitalField;
using vitals::VitalFields;

// Initial vitals: the age band's normals, overwritten by what the initial
// state sets (or changed by it, if it is relative), so every parameter has a
// value from the first step.
v1::Vitals InitialVitals(const v1::AgeBand& band, const v1::State& initial) {
  v1::Vitals vitals = vitals::NormalVitals(band);
  if (!initial.vitals_relative()) {
    vitals.MergeFrom(initial.vitals());
    return vitals;
  }
  for (const VitalField& field : VitalFields()) {
    if (!(initial.vitals().*field.has)()) continue;
    (vitals.*field.set)(
        std::clamp((vitals.*field.get)() + (initial.vitals().*field.get)(), field.min, field.max));
  }
  if (initial.vitals().has_rhythm()) vitals.set_rhythm(initial.vitals().rhythm());
  return vitals;
}

const v1::State& StateNamed(const v1::Scenario& scenario, const std::string& name) {
  for (const v1::State& state : scenario.states()) {
    if (state.name() == name) return state;
  }
  return scenario.states(0);  // unreachable for a checked scenario
}

int64_t StepsFor(double seconds) {
  return static_cast<int64_t>(std::ceil(seconds / Engine::kStepS - 1e-9));
}

}  // namespace

Engine::Engine(v1::Scenario scenario, uint64_t seed)
    : scenario_(std::move(scenario)),
      seed_(seed),
      weight_kg_(scenario_.patient().weight_kg()),
      age_band_(vitals::AgeBandFor(patient::AgeInYears(scenario_.patient()))),
      noise_scale_(scenario_.has_noise_scale() ? scenario_.noise_scale() : 1.0),
      current_(&StateNamed(scenario_, scenario_.initial_state())),
      trends_(InitialVitals(age_band_, *current_)),
      findings_(current_->findings()),
      pharmacology_(scenario_.pharmacology(), weight_kg_, patient::AgeInYears(scenario_.patient())),
      cpr_(patient::AgeInYears(scenario_.patient())),
      ventilation_(patient::AgeInYears(scenario_.patient())),
      handler_matches_(scenario_.handlers_size(), 0),
      ledger_(scenario_, weight_kg_) {
  for (int i = 0; i < kVitalFieldCount; ++i) script_targets_[i] = trends_.Target(i);
  script_rhythm_ = trends_.rhythm();
}

void Engine::Begin(EventSink& out) {
  chained_entries_ = 0;
  v1::Event entered = NewEvent(v1::EVENT_KIND_STATE_ENTERED, v1::AGENT_SCENARIO, 0,
                               "scenario begins in state '" + current_->name() + "'");
  entered.mutable_state_change()->set_to_state(current_->name());
  trend_cause_.fill(out.Emit(std::move(entered)));
  ledger_.RecordStateEntered(current_->name(), sim_time_s());
  if (!completed()) EvaluateTransitions(out);
}

void Engine::Apply(const v1::Event& input, EventSink& out) {
  chained_entries_ = 0;
  switch (input.kind()) {
    case v1::EVENT_KIND_LEARNER_ACTION: {
      std::optional<bool> shock_terminated;
      switch (input.action().kind()) {
        case v1::ACTION_KIND_CHEST_COMPRESSION:
          cpr_.AddCompression(sim_time_s(), input.action().compression());
          break;
        case v1::ACTION_KIND_VENTILATION:
          ventilation_.AddBreath(sim_time_s());
          break;
        case v1::ACTION_KIND_BAG_MASK_VENTILATION:
          ventilation_.AddBagMask(sim_time_s());
          break;
        case v1::ACTION_KIND_DEFIBRILLATION:
          shock_terminated = DeliverShock(input, out);
          break;
        default:
          break;
      }
      // Only actions a transition of this state waits for are kept: a long
      // resuscitation logs thousands of compressions.
      if (CurrentStateWaitsFor(input.action())) {
        actions_in_state_.push_back({input.id(), step_, input.action(), shock_terminated});
      }
      ledger_.RecordAction(input.id(), sim_time_s(), input.action());
      GiveDrug(input, out);
      ApplyHandlers(input, out);
      if (!scheduled_ && !completed()) EvaluateTransitions(out);
      break;
    }
    case v1::EVENT_KIND_STATE_ENTERED:
      // An instructor's GoToState: the input is itself the record of entry.
      if (const v1::State* state = FindState(input.state_change().to_state())) {
        EnterState(*state, "", input.id(), input.agent(), input.id(), out);
      }
      break;
    case v1::EVENT_KIND_VITALS_OVERRIDDEN:
    case v1::EVENT_KIND_VITALS_RELEASED:
      ApplyOverride(input);
      break;
    default:
      break;
  }
}

void Engine::Step(EventSink& out) {
  chained_entries_ = 0;
  if (completed()) return;
  ++step_;
  effects_.Prune(sim_time_s());
  AdvanceDrugs(out);
  const bool breathing = UnderlyingValue(vitals::FieldIndexOf("respiratory_rate_bpm")) > 0;
  ventilation_.Advance(sim_time_s(), kStepS, !PulsePresent(),
                       breathing || ventilation_.Active(sim_time_s()));
  if (scheduled_ && step_ >= scheduled_->fire_step) {
    const Scheduled due = *scheduled_;
    scheduled_.reset();
    EnterState(StateNamed(scenario_, due.transition->to_state()), due.transition->label(),
               due.cause_event_id, v1::AGENT_SCENARIO, std::nullopt, out, due.reason);
  } else if (!scheduled_) {
    EvaluateTransitions(out);
  }
}

std::vector<v1::Event> Engine::Begin(uint64_t next_event_id) {
  EventBatch batch(next_event_id);
  Begin(batch);
  return batch.Take();
}

std::vector<v1::Event> Engine::Apply(const v1::Event& input, uint64_t next_event_id) {
  EventBatch batch(next_event_id);
  Apply(input, batch);
  return batch.Take();
}

std::vector<v1::Event> Engine::Step(uint64_t next_event_id) {
  EventBatch batch(next_event_id);
  Step(batch);
  return batch.Take();
}

bool Engine::CurrentStateWaitsFor(const v1::LearnerAction& action) const {
  for (const v1::Transition& transition : current_->transitions()) {
    if (transition.has_on_action() && SameKind(transition.on_action(), action)) return true;
  }
  return false;
}

const v1::State* Engine::FindState(const std::string& name) const {
  for (const v1::State& state : scenario_.states()) {
    if (state.name() == name) return &state;
  }
  return nullptr;
}

void Engine::EnterState(const v1::State& state, const std::string& label, uint64_t cause_event_id,
                        v1::Agent agent, std::optional<uint64_t> recorded_as, EventSink& out,
                        const std::string& reason) {
  const std::string from = current_->name();
  current_ = &state;
  state_entered_step_ = step_;
  ledger_.RecordStateEntered(state.name(), sim_time_s());
  actions_in_state_.clear();
  vital_crossed_since_step_.clear();
  scheduled_.reset();
  uint64_t entry_id = recorded_as.value_or(0);
  if (!recorded_as) {
    std::string summary = "entered state '" + state.name() + "'";
    if (!label.empty()) summary += ": " + label;
    if (!reason.empty()) summary += " — " + reason;
    v1::Event entered = NewEvent(v1::EVENT_KIND_STATE_ENTERED, agent, cause_event_id, summary);
    entered.mutable_state_change()->set_from_state(from);
    entered.mutable_state_change()->set_to_state(state.name());
    entered.mutable_state_change()->set_transition_label(label);
    entered.mutable_state_change()->set_reason(reason);
    entry_id = out.Emit(std::move(entered));
  }
  const double now = sim_time_s();
  for (int i = 0; i < kVitalFieldCount; ++i) {
    const VitalField& field = VitalFields()[i];
    if (!(state.vitals().*field.has)()) continue;
    const double scripted = (state.vitals().*field.get)();
    // The composition of targets and effects (State.vitals_relative): a
    // relative state moves the script's target and leaves lasting effects
    // on top; an absolute one ends them, starting its trend from the value
    // they made, so the monitor does not jump now and shows the script's
    // number once the trend ends.
    double start = trends_.Value(i, now);
    if (state.vitals_relative()) {
      script_targets_[i] = std::clamp(script_targets_[i] + scripted, field.min, field.max);
    } else {
      script_targets_[i] = scripted;
      start += effects_.AbsorbLasting(i, now);
      if (i == vitals::FieldIndexOf("spo2_pct")) start -= ventilation_.AbsorbDesaturation();
      start = std::clamp(start, field.min, field.max);
    }
    if (!overridden_[i]) {
      trends_.TrendFromTo(i, start, script_targets_[i], now, TrendDuration(state, field));
      trend_cause_[i] = entry_id;
    }
  }
  if (state.vitals().has_rhythm()) {
    script_rhythm_ = state.vitals().rhythm();
    if (!rhythm_overridden_) trends_.SetRhythm(script_rhythm_);
  }
  if (state.has_findings()) ChangeFindings(state.findings(), entry_id, out);
  // A zero-time transition out of the new state fires in the same step; the
  // bound stops a cycle of zero-time transitions from spinning forever.
  if (!completed() && ++chained_entries_ < kMaxChainedEntries) EvaluateTransitions(out);
}

void Engine::EvaluateTransitions(EventSink& out) {
  for (const v1::Transition& transition : current_->transitions()) {
    if (std::optional<uint64_t> cause = TriggerCause(transition)) {
      Fire(transition, *cause, out);
      return;
    }
  }
}

std::optional<uint64_t> Engine::TriggerCause(const v1::Transition& transition) {
  switch (transition.trigger_case()) {
    case v1::Transition::kAfterTimeInStateS:
      if (step_ - state_entered_step_ >= StepsFor(transition.after_time_in_state_s())) return 0;
      return std::nullopt;
    case v1::Transition::kAtScenarioTimeS:
      if (fired_scenario_timers_.contains(&transition)) return std::nullopt;
      if (step_ >= StepsFor(transition.at_scenario_time_s())) return 0;
      return std::nullopt;
    case v1::Transition::kOnAction:
      return ActionTriggerCause(transition.on_action());
    case v1::Transition::kOnVital:
      return VitalTriggerCause(transition);
    case v1::Transition::kWhen:
      return ConditionCause(transition.when());
    default:
      return std::nullopt;  // instructor_choice fires only through GoToState
  }
}

std::optional<uint64_t> Engine::ActionTriggerCause(const v1::ActionTrigger& trigger) const {
  const uint32_t needed = std::max<uint32_t>(1, trigger.count());
  uint32_t seen = 0;
  for (const LoggedAction& logged : actions_in_state_) {
    if (trigger.within_s() > 0 &&
        static_cast<double>(logged.step - state_entered_step_) * kStepS > trigger.within_s()) {
      continue;
    }
    if (MatchesAction(trigger, logged.action, weight_kg_) &&
        CountsShock(trigger, logged.shock_terminated) && ++seen == needed) {
      return logged.event_id;
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> Engine::VitalTriggerCause(const v1::Transition& transition) {
  const v1::VitalTrigger& trigger = transition.on_vital();
  const std::optional<int> field = vitals::VitalFieldIndex(trigger.vital());
  if (!field) return std::nullopt;
  // What the monitor shows, noise aside; no reading (SpO2 in an arrest)
  // crosses nothing.
  const v1::Vitals shown = MonitorValues(/*with_noise=*/false);
  const vitals::VitalField& vital = VitalFields()[*field];
  const bool reading = (shown.*vital.has)();
  const double value = (shown.*vital.get)();
  const bool crossed = reading && ((trigger.has_below() && value < trigger.below()) ||
                                   (trigger.has_above() && value > trigger.above()));
  if (!crossed) {
    vital_crossed_since_step_.erase(&transition);
    return std::nullopt;
  }
  const int64_t since = vital_crossed_since_step_.emplace(&transition, step_).first->second;
  if (step_ - since >= StepsFor(trigger.held_for_s())) return CauseOf(*field);
  return std::nullopt;
}

std::optional<uint64_t> Engine::ConditionCause(const v1::Condition& condition) {
  if (!CheckCondition(condition, ledger_, sim_time_s()).holds) return std::nullopt;
  ConditionVerdict verdict = EvaluateCondition(condition, ledger_, sim_time_s());
  condition_reason_ = std::move(verdict.why);
  return verdict.cause_event_id;
}

void Engine::Fire(const v1::Transition& transition, uint64_t cause_event_id, EventSink& out) {
  // Only the transition being fired may pass on a condition's reason.
  std::string reason =
      transition.has_when() ? std::exchange(condition_reason_, std::string()) : std::string();
  // A scenario-time trigger marks one moment: once fired, re-entering its
  // state later must not fire it again.
  if (transition.trigger_case() == v1::Transition::kAtScenarioTimeS) {
    fired_scenario_timers_.insert(&transition);
  }
  if (transition.delay_s() > 0) {
    scheduled_ =
        Scheduled{&transition, step_ + StepsFor(transition.delay_s()), cause_event_id, reason};
    v1::Event scheduled =
        NewEvent(v1::EVENT_KIND_TRANSITION_SCHEDULED, v1::AGENT_SCENARIO, cause_event_id,
                 fmt::format("'{}' in {:g} s: {}", transition.to_state(), transition.delay_s(),
                             transition.label()));
    scheduled.mutable_state_change()->set_from_state(current_->name());
    scheduled.mutable_state_change()->set_to_state(transition.to_state());
    scheduled.mutable_state_change()->set_transition_label(transition.label());
    out.Emit(std::move(scheduled));
    return;
  }
  EnterState(StateNamed(scenario_, transition.to_state()), transition.label(), cause_event_id,
             v1::AGENT_SCENARIO, std::nullopt, out, reason);
}

void Engine::ApplyOverride(const v1::Event& input) {
  const v1::VitalsOverride& change = input.vitals_override();
  const double now = sim_time_s();
  for (int i = 0; i < kVitalFieldCount; ++i) {
    const VitalField& field = VitalFields()[i];
    if (!(change.vitals().*field.has)()) continue;
    overridden_[i] = true;
    trends_.TrendTo(i, (change.vitals().*field.get)(), now, change.trend_duration_s());
    trend_cause_[i] = input.id();
  }
  if (change.vitals().has_rhythm()) {
    rhythm_overridden_ = true;
    trends_.SetRhythm(change.vitals().rhythm());
  }
  for (const std::string& name : change.released()) {
    if (name == "rhythm") {
      rhythm_overridden_ = false;
      trends_.SetRhythm(script_rhythm_);
    } else if (std::optional<int> index = vitals::VitalFieldIndex(name)) {
      overridden_[*index] = false;
      trends_.TrendTo(*index, script_targets_[*index], now, change.trend_duration_s());
      trend_cause_[*index] = input.id();
    }
  }
}

void Engine::ApplyHandlers(const v1::Event& action, EventSink& out) {
  for (int h = 0; h < scenario_.handlers_size(); ++h) {
    const v1::Handler& handler = scenario_.handlers(h);
    if (!handler.states().empty() && std::find(handler.states().begin(), handler.states().end(),
                                               current_->name()) == handler.states().end()) {
      continue;
    }
    const v1::ActionTrigger& trigger = handler.on_action();
    if (!MatchesAction(trigger, action.action(), weight_kg_)) continue;
    if (trigger.within_s() > 0 && time_in_state_s() > trigger.within_s()) continue;
    if (++handler_matches_[h] < static_cast<int>(std::max<uint32_t>(1, trigger.count()))) {
      continue;
    }
    std::string summary = handler.explanation().empty() ? handler.name() : handler.explanation();
    v1::Event applied =
        NewEvent(v1::EVENT_KIND_HANDLER_APPLIED, v1::AGENT_SCENARIO, action.id(), summary);
    v1::HandlerApplied* payload = applied.mutable_handler_applied();
    payload->set_handler(handler.name());
    payload->set_explanation(handler.explanation());
    payload->mutable_effects()->CopyFrom(handler.effects());
    const uint64_t applied_id = out.Emit(std::move(applied));
    for (const v1::VitalEffect& effect : handler.effects()) {
      if (std::optional<int> field = vitals::VitalFieldIndex(effect.vital())) {
        effects_.Add(effect, *field, sim_time_s(), applied_id);
      }
    }
    if (handler.has_findings()) ChangeFindings(handler.findings(), applied_id, out);
    if (handler.has_rhythm_effect()) {
      transient_rhythm_ = TransientRhythm{handler.rhythm_effect().rhythm(),
                                          step_ + StepsFor(handler.rhythm_effect().duration_s())};
    }
  }
}

std::optional<bool> Engine::DeliverShock(const v1::Event& action, EventSink& out) {
  const uint32_t attempt = ++shocks_given_;
  if (!current_->has_shock_odds()) return std::nullopt;
  const double kg = weight_kg_ > 0 ? weight_kg_ : 1;
  const v1::ShockOutcome outcome = DecideShock(
      current_->shock_odds(), attempt, action.action().energy_j() / kg, trends_.rhythm(), seed_);
  v1::Event decided = NewEvent(v1::EVENT_KIND_SHOCK_OUTCOME, v1::AGENT_SCENARIO, action.id(),
                               DescribeShock(outcome));
  *decided.mutable_shock_outcome() = outcome;
  out.Emit(std::move(decided));
  return outcome.terminated();
}

void Engine::GiveDrug(const v1::Event& action, EventSink& out) {
  // Compressions come sixty a second: only what can give a drug is looked up.
  const v1::ActionKind kind = action.action().kind();
  if (pharmacology_.empty() ||
      (kind != v1::ACTION_KIND_DRUG && kind != v1::ACTION_KIND_FLUID_BOLUS &&
       kind != v1::ACTION_KIND_OXYGEN)) {
    return;
  }
  std::optional<v1::DrugEffect> given = pharmacology_.Give(action.action());
  if (!given) return;
  v1::Event effect = NewEvent(v1::EVENT_KIND_DRUG_EFFECT, v1::AGENT_SCENARIO, action.id(),
                              DescribeDrugEffect(*given, weight_kg_));
  *effect.mutable_drug_effect() = std::move(*given);
  pharmacology_.Attribute(out.Emit(std::move(effect)));
}

void Engine::AdvanceDrugs(EventSink& out) {
  for (const Pharmacology::ToxicChange& change : pharmacology_.Advance(kStepS)) {
    const v1::DrugModel& model = pharmacology_.model(change.drug);
    const v1::DrugToxicity& toxicity = model.toxicities(change.toxicity);
    v1::DrugEffect payload;
    payload.set_drug(model.name());
    payload.set_toxicity(toxicity.description());
    payload.set_ended(!change.began);
    v1::Event event =
        NewEvent(v1::EVENT_KIND_DRUG_EFFECT, v1::AGENT_SCENARIO,
                 pharmacology_.effect_event(change.drug), DescribeDrugEffect(payload, weight_kg_));
    *event.mutable_drug_effect() = std::move(payload);
    const uint64_t id = out.Emit(std::move(event));
    if (change.began && toxicity.has_findings()) ChangeFindings(toxicity.findings(), id, out);
  }
}

void Engine::ChangeFindings(const v1::Findings& change, uint64_t cause_event_id, EventSink& out) {
  v1::Findings updated = findings_;
  updated.MergeFrom(change);
  if (updated.SerializeAsString() == findings_.SerializeAsString()) return;
  findings_ = std::move(updated);
  v1::Event changed = NewEvent(v1::EVENT_KIND_FINDINGS_CHANGED, v1::AGENT_SCENARIO, cause_event_id,
                               "manikin findings changed");
  *changed.mutable_findings() = findings_;
  out.Emit(std::move(changed));
}

double Engine::TrendDuration(const v1::State& state, const VitalField& field) const {
  const auto& per_vital = state.vital_trend_duration_s();
  const auto it = per_vital.find(std::string(field.name));
  return it != per_vital.end() ? it->second : state.trend_duration_s();
}

v1::Event Engine::NewEvent(v1::EventKind kind, v1::Agent agent, uint64_t cause,
                           std::string summary) const {
  v1::Event event;
  event.set_sim_time_s(sim_time_s());
  event.set_kind(kind);
  event.set_agent(agent);
  event.set_cause_event_id(cause);
  event.set_summary(std::move(summary));
  return event;
}

}  // namespace pedisim::engine

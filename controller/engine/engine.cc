#include "controller/engine/engine.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "controller/scenario/age_bands.h"
#include "controller/scenario/scenario_loader.h"

namespace pedisim::engine {

namespace {

// Initial vitals: the age band's normals, overwritten by what the initial
// state sets, so every parameter has a value from the first step.
v1::Vitals InitialVitals(const v1::Scenario& scenario, const v1::State& initial) {
  v1::Vitals vitals =
      scenario::NormalVitals(scenario::AgeBandFor(scenario::AgeInYears(scenario.patient())));
  vitals.MergeFrom(initial.vitals());
  return vitals;
}

const v1::State& StateNamed(const v1::Scenario& scenario, const std::string& name) {
  for (const v1::State& state : scenario.states()) {
    if (state.name() == name) return state;
  }
  return scenario.states(0);  // unreachable for a linted scenario
}

std::string ActionName(v1::ActionKind kind) {
  std::string name = v1::ActionKind_Name(kind);
  constexpr std::string_view kPrefix = "ACTION_KIND_";
  if (name.starts_with(kPrefix)) name.erase(0, kPrefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

bool SameDrug(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool Matches(const v1::ActionTrigger& trigger, const v1::LearnerAction& action) {
  if (trigger.kind() != action.kind()) return false;
  return trigger.drug().empty() || SameDrug(trigger.drug(), action.drug());
}

int64_t StepsFor(double seconds) {
  return static_cast<int64_t>(std::ceil(seconds / Engine::kStepS - 1e-9));
}

}  // namespace

Engine::Engine(v1::Scenario scenario, uint64_t seed)
    : scenario_(std::move(scenario)),
      seed_(seed),
      current_(&StateNamed(scenario_, scenario_.initial_state())),
      trends_(InitialVitals(scenario_, *current_)) {
  for (int i = 0; i < scenario::kVitalFieldCount; ++i) script_targets_[i] = trends_.Target(i);
  script_rhythm_ = trends_.rhythm();
}

std::vector<v1::Event> Engine::Begin() {
  std::vector<v1::Event> out;
  v1::Event entered = MakeEvent(v1::EVENT_KIND_STATE_ENTERED, v1::AGENT_SCENARIO, 0,
                                "scenario begins in state '" + current_->name() + "'");
  entered.mutable_state_change()->set_to_state(current_->name());
  out.push_back(std::move(entered));
  chained_entries_ = 0;
  if (!completed()) EvaluateTransitions(out);
  return out;
}

std::vector<v1::Event> Engine::Apply(const v1::Event& input) {
  std::vector<v1::Event> out;
  chained_entries_ = 0;
  switch (input.kind()) {
    case v1::EVENT_KIND_LEARNER_ACTION:
      actions_in_state_.push_back({input.id(), input.action()});
      if (!scheduled_) EvaluateTransitions(out);
      break;
    case v1::EVENT_KIND_STATE_ENTERED:
      // An instructor's GoToState: the input is itself the record of entry.
      if (const v1::State* state = FindState(input.state_change().to_state())) {
        EnterState(*state, "", input.id(), input.agent(), /*emit=*/false, out);
      }
      break;
    case v1::EVENT_KIND_VITALS_OVERRIDDEN:
    case v1::EVENT_KIND_VITALS_RELEASED:
      ApplyOverride(input);
      break;
    default:
      break;
  }
  return out;
}

std::vector<v1::Event> Engine::Step() {
  std::vector<v1::Event> out;
  if (completed()) return out;
  ++step_;
  chained_entries_ = 0;
  if (scheduled_ && step_ >= scheduled_->fire_step) {
    const Scheduled due = *scheduled_;
    scheduled_.reset();
    EnterState(StateNamed(scenario_, due.transition->to_state()), due.transition->label(),
               due.cause_event_id, v1::AGENT_SCENARIO, /*emit=*/true, out);
  } else if (!scheduled_) {
    EvaluateTransitions(out);
  }
  return out;
}

const v1::State* Engine::FindState(const std::string& name) const {
  for (const v1::State& state : scenario_.states()) {
    if (state.name() == name) return &state;
  }
  return nullptr;
}

void Engine::EnterState(const v1::State& state, const std::string& label, uint64_t cause_event_id,
                        v1::Agent agent, bool emit, std::vector<v1::Event>& out) {
  const std::string from = current_->name();
  current_ = &state;
  state_entered_step_ = step_;
  actions_in_state_.clear();
  scheduled_.reset();
  const double now = sim_time_s();
  for (int i = 0; i < scenario::kVitalFieldCount; ++i) {
    const scenario::VitalField& field = scenario::VitalFields()[i];
    if (!(state.vitals().*field.has)()) continue;
    script_targets_[i] = (state.vitals().*field.get)();
    if (!overridden_[i]) trends_.TrendTo(i, script_targets_[i], now, TrendDuration(state, field));
  }
  if (state.vitals().has_rhythm()) {
    script_rhythm_ = state.vitals().rhythm();
    if (!rhythm_overridden_) trends_.SetRhythm(script_rhythm_);
  }
  if (emit) {
    std::string summary = "entered state '" + state.name() + "'";
    if (!label.empty()) summary += ": " + label;
    v1::Event entered = MakeEvent(v1::EVENT_KIND_STATE_ENTERED, agent, cause_event_id, summary);
    entered.mutable_state_change()->set_from_state(from);
    entered.mutable_state_change()->set_to_state(state.name());
    entered.mutable_state_change()->set_transition_label(label);
    out.push_back(std::move(entered));
  }
  // A zero-time transition out of the new state fires in the same step; the
  // bound stops a cycle of zero-time transitions from spinning forever.
  if (!completed() && ++chained_entries_ < kMaxChainedEntries) EvaluateTransitions(out);
}

void Engine::EvaluateTransitions(std::vector<v1::Event>& out) {
  for (const v1::Transition& transition : current_->transitions()) {
    if (std::optional<uint64_t> cause = TriggerCause(transition)) {
      Fire(transition, *cause, out);
      return;
    }
  }
}

std::optional<uint64_t> Engine::TriggerCause(const v1::Transition& transition) const {
  switch (transition.trigger_case()) {
    case v1::Transition::kAfterTimeInStateS:
      if (step_ - state_entered_step_ >= StepsFor(transition.after_time_in_state_s())) return 0;
      return std::nullopt;
    case v1::Transition::kAtScenarioTimeS:
      if (fired_scenario_timers_.contains(&transition)) return std::nullopt;
      if (step_ >= StepsFor(transition.at_scenario_time_s())) return 0;
      return std::nullopt;
    case v1::Transition::kOnAction:
      for (const LoggedAction& logged : actions_in_state_) {
        if (Matches(transition.on_action(), logged.action)) return logged.event_id;
      }
      return std::nullopt;
    default:
      return std::nullopt;  // instructor_choice fires only through GoToState
  }
}

void Engine::Fire(const v1::Transition& transition, uint64_t cause_event_id,
                  std::vector<v1::Event>& out) {
  // A scenario-time trigger marks one moment: once fired, re-entering its
  // state later must not fire it again.
  if (transition.trigger_case() == v1::Transition::kAtScenarioTimeS) {
    fired_scenario_timers_.insert(&transition);
  }
  if (transition.delay_s() > 0) {
    scheduled_ = Scheduled{&transition, step_ + StepsFor(transition.delay_s()), cause_event_id};
    v1::Event scheduled =
        MakeEvent(v1::EVENT_KIND_TRANSITION_SCHEDULED, v1::AGENT_SCENARIO, cause_event_id,
                  fmt::format("'{}' in {:g} s: {}", transition.to_state(), transition.delay_s(),
                              transition.label()));
    scheduled.mutable_state_change()->set_from_state(current_->name());
    scheduled.mutable_state_change()->set_to_state(transition.to_state());
    scheduled.mutable_state_change()->set_transition_label(transition.label());
    out.push_back(std::move(scheduled));
    return;
  }
  EnterState(StateNamed(scenario_, transition.to_state()), transition.label(), cause_event_id,
             v1::AGENT_SCENARIO, /*emit=*/true, out);
}

void Engine::ApplyOverride(const v1::Event& input) {
  const v1::VitalsOverride& change = input.vitals_override();
  const double now = sim_time_s();
  for (int i = 0; i < scenario::kVitalFieldCount; ++i) {
    const scenario::VitalField& field = scenario::VitalFields()[i];
    if (!(change.vitals().*field.has)()) continue;
    overridden_[i] = true;
    trends_.TrendTo(i, (change.vitals().*field.get)(), now, change.trend_duration_s());
  }
  if (change.vitals().has_rhythm()) {
    rhythm_overridden_ = true;
    trends_.SetRhythm(change.vitals().rhythm());
  }
  for (const std::string& name : change.released()) {
    if (name == "rhythm") {
      rhythm_overridden_ = false;
      trends_.SetRhythm(script_rhythm_);
    } else if (std::optional<int> index = scenario::VitalFieldIndex(name)) {
      overridden_[*index] = false;
      trends_.TrendTo(*index, script_targets_[*index], now, change.trend_duration_s());
    }
  }
}

double Engine::TrendDuration(const v1::State& state, const scenario::VitalField& field) const {
  const auto& per_vital = state.vital_trend_duration_s();
  const auto it = per_vital.find(std::string(field.name));
  return it != per_vital.end() ? it->second : state.trend_duration_s();
}

std::vector<std::string> Engine::Overridden() const {
  std::vector<std::string> names;
  for (int i = 0; i < scenario::kVitalFieldCount; ++i) {
    if (overridden_[i]) names.emplace_back(scenario::VitalFields()[i].name);
  }
  if (rhythm_overridden_) names.emplace_back("rhythm");
  return names;
}

std::vector<v1::PendingTransition> Engine::PendingTransitions() const {
  std::vector<v1::PendingTransition> pending;
  if (scheduled_) {
    v1::PendingTransition& next = pending.emplace_back();
    next.set_to_state(scheduled_->transition->to_state());
    next.set_label(scheduled_->transition->label());
    next.set_waiting_for("scheduled");
    next.set_fires_in_s(static_cast<double>(scheduled_->fire_step - step_) * kStepS);
    return pending;
  }
  for (const v1::Transition& transition : current_->transitions()) {
    v1::PendingTransition& next = pending.emplace_back();
    next.set_to_state(transition.to_state());
    next.set_label(transition.label());
    switch (transition.trigger_case()) {
      case v1::Transition::kAfterTimeInStateS: {
        const double left = std::max(0.0, transition.after_time_in_state_s() - time_in_state_s());
        next.set_waiting_for(fmt::format("{:.0f} s more in state", left));
        next.set_fires_in_s(left);
        break;
      }
      case v1::Transition::kAtScenarioTimeS: {
        const double left = std::max(0.0, transition.at_scenario_time_s() - sim_time_s());
        next.set_waiting_for(fmt::format("scenario time {:g} s", transition.at_scenario_time_s()));
        next.set_fires_in_s(left);
        break;
      }
      case v1::Transition::kOnAction: {
        std::string what = ActionName(transition.on_action().kind());
        if (!transition.on_action().drug().empty()) what += " " + transition.on_action().drug();
        next.set_waiting_for(what);
        break;
      }
      default:
        next.set_waiting_for("instructor");
        break;
    }
  }
  return pending;
}

v1::Event Engine::MakeEvent(v1::EventKind kind, v1::Agent agent, uint64_t cause,
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

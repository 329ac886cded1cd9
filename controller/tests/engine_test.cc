// The engine alone: no clock, no threads, so every expectation is exact.

#include "controller/engine/engine.h"

#include <gtest/gtest.h>

#include "core/scenario/scenario_loader.h"

namespace pedisim::engine {
namespace {

constexpr char kScenario[] = R"(
id: engine-test
title: Engine test
patient: {age_months: 6, weight_kg: 7}
noise_scale: 0
initial_state: calm
states:
  - name: calm
    vitals: {heart_rate_bpm: 140, spo2_pct: 97}
    transitions:
      - {to_state: distress, label: time passes, after_time_in_state_s: 2}
  - name: distress
    trend_duration_s: 4
    vital_trend_duration_s: {spo2_pct: 1}
    vitals: {heart_rate_bpm: 180, spo2_pct: 85, rhythm: sinus_tachycardia}
    transitions:
      - {to_state: better, label: oxygen, on_action: {kind: oxygen}, delay_s: 0.5}
      - {to_state: calm, label: instructor only, instructor_choice: true}
  - name: better
    terminal: true
    vitals: {heart_rate_bpm: 150}
)";

v1::Scenario LoadTestScenario() {
  scenario::LoadResult result = scenario::ParseScenario("engine-test.yaml", kScenario);
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  return result.scenario.value_or(v1::Scenario());
}

void StepFor(Engine& engine, double seconds, std::vector<v1::Event>* events = nullptr) {
  const int steps = static_cast<int>(seconds / Engine::kStepS + 0.5);
  for (int i = 0; i < steps; ++i) {
    std::vector<v1::Event> produced = engine.Step(100);
    if (events) events->insert(events->end(), produced.begin(), produced.end());
  }
}

v1::Event Input(const Engine& engine, uint64_t id, v1::EventKind kind) {
  v1::Event event;
  event.set_id(id);
  event.set_sim_time_s(engine.sim_time_s());
  event.set_kind(kind);
  event.set_agent(v1::AGENT_INSTRUCTOR);
  return event;
}

TEST(EngineTest, StartsInInitialStateWithAgeNormsForUnsetVitals) {
  Engine engine(LoadTestScenario(), 7);
  const std::vector<v1::Event> begin = engine.Begin(1);
  ASSERT_EQ(begin.size(), 1u);
  EXPECT_EQ(begin[0].state_change().to_state(), "calm");
  EXPECT_EQ(engine.current_state(), "calm");
  const v1::Vitals vitals = engine.Vitals();
  EXPECT_EQ(vitals.heart_rate_bpm(), 140);
  EXPECT_EQ(vitals.spo2_pct(), 97);
  // Infant band midpoints (clinical.md §1a/§1b): RR 30-53, SBP 72-104.
  EXPECT_EQ(vitals.respiratory_rate_bpm(), 41.5);
  EXPECT_EQ(vitals.nibp_systolic_mmhg(), 88);
}

TEST(EngineTest, TimedTransitionAndLinearTrends) {
  Engine engine(LoadTestScenario(), 7);
  engine.Begin(1);
  std::vector<v1::Event> events;
  StepFor(engine, 2.0, &events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind(), v1::EVENT_KIND_STATE_ENTERED);
  EXPECT_EQ(events[0].state_change().from_state(), "calm");
  EXPECT_EQ(events[0].state_change().to_state(), "distress");
  EXPECT_DOUBLE_EQ(events[0].sim_time_s(), 2.0);
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_SINUS_TACHYCARDIA);

  StepFor(engine, 1.0);  // a quarter of the 4 s heart-rate trend; all of SpO2's 1 s
  EXPECT_NEAR(engine.Vitals().heart_rate_bpm(), 150, 1e-9);
  EXPECT_NEAR(engine.Vitals().spo2_pct(), 85, 1e-9);
  StepFor(engine, 3.0);
  EXPECT_NEAR(engine.Vitals().heart_rate_bpm(), 180, 1e-9);
  StepFor(engine, 5.0);
  EXPECT_NEAR(engine.Vitals().heart_rate_bpm(), 180, 1e-9) << "holds at target";
}

TEST(EngineTest, ActionTriggerWithDelayNamesItsCause) {
  Engine engine(LoadTestScenario(), 7);
  engine.Begin(1);
  StepFor(engine, 2.0);
  v1::Event oxygen = Input(engine, 41, v1::EVENT_KIND_LEARNER_ACTION);
  oxygen.mutable_action()->set_kind(v1::ACTION_KIND_OXYGEN);
  const std::vector<v1::Event> scheduled = engine.Apply(oxygen, 42);
  ASSERT_EQ(scheduled.size(), 1u);
  EXPECT_EQ(scheduled[0].kind(), v1::EVENT_KIND_TRANSITION_SCHEDULED);
  EXPECT_EQ(scheduled[0].cause_event_id(), 41u);
  ASSERT_EQ(engine.PendingTransitions().size(), 1u);
  EXPECT_NEAR(engine.PendingTransitions()[0].fires_in_s(), 0.5, 1e-9);

  std::vector<v1::Event> events;
  StepFor(engine, 0.5, &events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].state_change().to_state(), "better");
  EXPECT_EQ(events[0].cause_event_id(), 41u);
  EXPECT_DOUBLE_EQ(events[0].sim_time_s(), 2.5);
  EXPECT_TRUE(engine.completed());
}

TEST(EngineTest, OverrideHoldsAcrossStatesUntilReleased) {
  Engine engine(LoadTestScenario(), 7);
  engine.Begin(1);
  v1::Event hold = Input(engine, 1, v1::EVENT_KIND_VITALS_OVERRIDDEN);
  hold.mutable_vitals_override()->mutable_vitals()->set_heart_rate_bpm(60);
  engine.Apply(hold, 2);
  EXPECT_EQ(engine.Vitals().heart_rate_bpm(), 60);
  EXPECT_EQ(engine.Overridden(), std::vector<std::string>{"heart_rate_bpm"});

  StepFor(engine, 3.0);  // into distress, whose target is 180
  EXPECT_EQ(engine.current_state(), "distress");
  EXPECT_EQ(engine.Vitals().heart_rate_bpm(), 60);

  v1::Event release = Input(engine, 2, v1::EVENT_KIND_VITALS_RELEASED);
  release.mutable_vitals_override()->add_released("heart_rate_bpm");
  release.mutable_vitals_override()->set_trend_duration_s(2);
  engine.Apply(release, 3);
  StepFor(engine, 1.0);
  EXPECT_NEAR(engine.Vitals().heart_rate_bpm(), 120, 1e-9) << "halfway back to the script";
  StepFor(engine, 1.0);
  EXPECT_NEAR(engine.Vitals().heart_rate_bpm(), 180, 1e-9);
  EXPECT_TRUE(engine.Overridden().empty());
}

TEST(EngineTest, InstructorChoiceFiresOnlyThroughGoTo) {
  Engine engine(LoadTestScenario(), 7);
  engine.Begin(1);
  StepFor(engine, 10.0);
  EXPECT_EQ(engine.current_state(), "distress") << "instructor_choice never fires by itself";
  v1::Event go = Input(engine, 9, v1::EVENT_KIND_STATE_ENTERED);
  go.mutable_state_change()->set_to_state("calm");
  engine.Apply(go, 10);
  EXPECT_EQ(engine.current_state(), "calm");
  EXPECT_DOUBLE_EQ(engine.time_in_state_s(), 0);
}

// The linter rejects loops of on-entry transitions; the engine still bounds
// them, should an unchecked scenario ever reach it.
TEST(EngineTest, ZeroTimeLoopIsBoundedWithinAStep) {
  v1::Scenario scenario = LoadTestScenario();
  for (const char* name : {"ping", "pong"}) {
    v1::State* state = scenario.add_states();
    state->set_name(name);
    v1::Transition* back = state->add_transitions();
    back->set_to_state(std::string(name) == "ping" ? "pong" : "ping");
    back->set_after_time_in_state_s(0);
  }
  Engine engine(std::move(scenario), 7);
  engine.Begin(1);
  v1::Event go = Input(engine, 9, v1::EVENT_KIND_STATE_ENTERED);
  go.mutable_state_change()->set_to_state("ping");
  const std::vector<v1::Event> chain = engine.Apply(go, 10);
  EXPECT_FALSE(chain.empty());
  EXPECT_LT(chain.size(), 20u) << "a ping-pong cycle must not spin forever";
}

TEST(EngineTest, ScenarioTimeTriggerFiresOnce) {
  v1::Scenario scenario = LoadTestScenario();
  v1::State* calm = scenario.mutable_states(0);
  calm->clear_transitions();
  v1::Transition* at_one = calm->add_transitions();
  at_one->set_to_state("distress");
  at_one->set_at_scenario_time_s(1);
  Engine engine(std::move(scenario), 7);
  engine.Begin(1);
  StepFor(engine, 1.0);
  EXPECT_EQ(engine.current_state(), "distress");
  v1::Event go = Input(engine, 9, v1::EVENT_KIND_STATE_ENTERED);
  go.mutable_state_change()->set_to_state("calm");
  engine.Apply(go, 10);
  StepFor(engine, 1.0);
  EXPECT_EQ(engine.current_state(), "calm") << "the 1 s moment has passed and fired already";
}

TEST(EngineTest, SameInputsGiveBitIdenticalOutput) {
  auto run = [] {
    Engine engine(LoadTestScenario(), 99);
    std::string trace;
    for (const v1::Event& event : engine.Begin(1)) trace += event.SerializeAsString();
    for (int step = 0; step < 100; ++step) {
      if (step == 25) {
        v1::Event oxygen = Input(engine, 5, v1::EVENT_KIND_LEARNER_ACTION);
        oxygen.mutable_action()->set_kind(v1::ACTION_KIND_OXYGEN);
        for (const v1::Event& event : engine.Apply(oxygen, 42)) trace += event.SerializeAsString();
      }
      for (const v1::Event& event : engine.Step(100)) trace += event.SerializeAsString();
      trace += engine.Vitals().SerializeAsString();
    }
    return trace;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace pedisim::engine

// Transitions on conditions (Transition.when): running totals, windows, AND,
// OR and NOT, fired by the engine at the simulated time they first hold.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "controller/engine/engine.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::engine {
namespace {

// 8 years, weight left out: 31 kg by the APLS estimate (3 x 8 + 7), so
// 620 mL is 20 mL/kg.
constexpr char kSepsis[] = R"(
id: conditions
title: Conditions
patient: {age_years: 8}
noise_scale: 0
quantities:
  - {name: fluid-total, kind: fluid_ml_per_kg, label: fluid in total}
  - {name: fluid-early, kind: fluid_ml_per_kg, window: {within_s: 600}, label: fluid in the first 10 min}
initial_state: shock
states:
  - name: shock
    transitions:
      - to_state: better
        label: 40 mL/kg and an antibiotic
        when:
          all_of:
            - quantity: {quantity: fluid-total, at_least: 40}
            - action: {kind: drug, drug: ceftriaxone}
      - to_state: worse
        label: less than 20 mL/kg in 10 min
        when:
          all_of:
            - after_scenario_time_s: 600
            - quantity: {quantity: fluid-early, below: 20}
  - name: worse
    transitions:
      - {to_state: better, label: rescued, when: {quantity: {quantity: fluid-total, at_least: 60}}}
  - name: better
    terminal: true
)";

constexpr char kRhythm[] = R"(
id: rhythm
title: OR, NOT and time on oxygen
patient: {age_years: 4, weight_kg: 16}
noise_scale: 0
quantities:
  - {name: oxygen-time, kind: oxygen_s, label: time on oxygen}
initial_state: svt
states:
  - name: svt
    transitions:
      - to_state: converted
        label: adenosine or cardioversion
        when:
          any_of:
            - action: {kind: drug, drug: adenosine}
            - action: {kind: synchronized_cardioversion}
      - to_state: unprotected
        label: not intubated after 30 s
        when:
          all_of:
            - after_time_in_state_s: 30
            - none_of: [{action: {kind: intubation}}]
      - to_state: oxygenated
        label: a minute on oxygen
        when: {quantity: {quantity: oxygen-time, at_least: 60}}
  - {name: converted, terminal: true}
  - {name: unprotected, terminal: true}
  - {name: oxygenated, terminal: true}
)";

v1::Scenario Load(const char* text) {
  scenario::LoadResult result = scenario::ParseScenario("conditions.yaml", text);
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  return result.scenario.value_or(v1::Scenario());
}

// Drives an engine on simulated time, numbering inputs and keeping every
// event it emits.
class ConditionRun {
 public:
  explicit ConditionRun(const char* scenario) : engine_(Load(scenario), 3) {
    Keep(engine_.Begin(next_));
  }

  void RunTo(double t) {
    while (engine_.sim_time_s() + 1e-9 < t && !engine_.completed()) Keep(engine_.Step(next_));
  }
  uint64_t Act(double t, v1::LearnerAction action) {
    RunTo(t);
    v1::Event input;
    input.set_id(next_++);
    input.set_sim_time_s(engine_.sim_time_s());
    input.set_kind(v1::EVENT_KIND_LEARNER_ACTION);
    input.set_agent(v1::AGENT_LEARNER);
    *input.mutable_action() = std::move(action);
    events_.push_back(input);
    Keep(engine_.Apply(input, next_));
    return input.id();
  }
  // The entries into states after the initial one.
  std::vector<v1::Event> Entries() const {
    std::vector<v1::Event> entries;
    for (const v1::Event& event : events_) {
      if (event.kind() == v1::EVENT_KIND_STATE_ENTERED && event.state_change().from_state() != "")
        entries.push_back(event);
    }
    return entries;
  }
  Engine& engine() { return engine_; }
  const std::vector<v1::Event>& events() const { return events_; }

 private:
  void Keep(const std::vector<v1::Event>& events) {
    for (const v1::Event& event : events) {
      events_.push_back(event);
      next_ = event.id() + 1;
    }
  }

  Engine engine_;
  uint64_t next_ = 1;
  std::vector<v1::Event> events_;
};

using testing::ActionOf;
using testing::Drug;
using testing::Fluid;

TEST(EngineConditionsTest, AllOfFiresOnTheActionThatCompletesItAndSaysWhy) {
  ConditionRun run(kSepsis);
  EXPECT_DOUBLE_EQ(run.engine().weight_kg(), 31);
  run.Act(60, Fluid(620));
  run.Act(190, Drug("ceftriaxone", 2000));
  run.RunTo(299.9);
  EXPECT_EQ(run.engine().current_state(), "shock") << "20 mL/kg and an antibiotic is not enough";
  ASSERT_EQ(run.engine().PendingTransitions().size(), 2u);
  EXPECT_EQ(run.engine().PendingTransitions()[0].waiting_for(),
            "fluid in total at least 40 mL/kg (20 mL/kg)");
  const uint64_t second_bolus = run.Act(300, Fluid(620));
  ASSERT_EQ(run.Entries().size(), 1u);
  const v1::Event entered = run.Entries()[0];
  EXPECT_EQ(entered.state_change().to_state(), "better");
  EXPECT_DOUBLE_EQ(entered.sim_time_s(), 300);
  EXPECT_EQ(entered.cause_event_id(), second_bolus);
  EXPECT_EQ(entered.state_change().reason(),
            "fluid in total at least 40 mL/kg (40 mL/kg) and ceftriaxone at 03:10");
  EXPECT_EQ(entered.summary(),
            "entered state 'better': 40 mL/kg and an antibiotic — fluid in total at least 40 "
            "mL/kg (40 mL/kg) and ceftriaxone at 03:10");
}

TEST(EngineConditionsTest, WindowedTotalDecidesAtTheEndOfTheWindow) {
  ConditionRun run(kSepsis);
  run.Act(60, Fluid(310));  // 10 mL/kg in the window
  run.RunTo(599.9);
  EXPECT_EQ(run.engine().current_state(), "shock");
  run.RunTo(600);
  ASSERT_EQ(run.Entries().size(), 1u);
  EXPECT_EQ(run.Entries()[0].state_change().to_state(), "worse");
  EXPECT_DOUBLE_EQ(run.Entries()[0].sim_time_s(), 600);
  EXPECT_EQ(run.Entries()[0].cause_event_id(), 0u) << "the clock, not an action, decided";
  EXPECT_EQ(run.Entries()[0].state_change().reason(),
            "scenario clock at 10:00 and fluid in the first 10 min below 20 mL/kg (10 mL/kg)");
  // Fluid after the window counts in the total but not in the window.
  run.Act(700, Fluid(1550));
  ASSERT_EQ(run.Entries().size(), 2u);
  EXPECT_EQ(run.Entries()[1].state_change().to_state(), "better");
  EXPECT_EQ(run.Entries()[1].state_change().reason(),
            "fluid in total at least 60 mL/kg (60 mL/kg)");
}

TEST(EngineConditionsTest, TwentyMlPerKgInTheWindowAvoidsTheDeterioration) {
  ConditionRun run(kSepsis);
  run.Act(100, Fluid(620));
  run.RunTo(1200);
  EXPECT_EQ(run.engine().current_state(), "shock");
  EXPECT_TRUE(run.Entries().empty());
}

TEST(EngineConditionsTest, AnyOfFiresOnEitherAlternative) {
  ConditionRun adenosine(kRhythm);
  const uint64_t dose = adenosine.Act(5, Drug("Adenosine", 1.6));
  ASSERT_EQ(adenosine.Entries().size(), 1u);
  EXPECT_EQ(adenosine.Entries()[0].state_change().to_state(), "converted");
  EXPECT_EQ(adenosine.Entries()[0].cause_event_id(), dose);
  EXPECT_EQ(adenosine.Entries()[0].state_change().reason(), "adenosine at 00:05");

  ConditionRun cardioversion(kRhythm);
  cardioversion.Act(8, ActionOf(v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION));
  ASSERT_EQ(cardioversion.Entries().size(), 1u);
  EXPECT_EQ(cardioversion.Entries()[0].state_change().to_state(), "converted");
  EXPECT_EQ(cardioversion.Entries()[0].state_change().reason(),
            "synchronized_cardioversion at 00:08");
}

TEST(EngineConditionsTest, NoneOfHoldsOnlyWhileTheActionHasNotHappened) {
  ConditionRun waiting(kRhythm);
  waiting.RunTo(29.9);
  EXPECT_EQ(waiting.engine().current_state(), "svt");
  waiting.RunTo(30);
  ASSERT_EQ(waiting.Entries().size(), 1u);
  EXPECT_EQ(waiting.Entries()[0].state_change().to_state(), "unprotected");
  EXPECT_EQ(waiting.Entries()[0].state_change().reason(), "30 s in the state and no intubation");

  ConditionRun intubated(kRhythm);
  intubated.Act(10, ActionOf(v1::ACTION_KIND_INTUBATION));
  intubated.RunTo(40);
  EXPECT_EQ(intubated.engine().current_state(), "svt") << "NOT intubated no longer holds";
}

TEST(EngineConditionsTest, TimeOnOxygenAccumulatesFromTheFirstOxygen) {
  ConditionRun run(kRhythm);
  run.Act(1, ActionOf(v1::ACTION_KIND_INTUBATION));  // keeps the NOT transition quiet
  run.Act(5, ActionOf(v1::ACTION_KIND_OXYGEN));
  run.Act(20, ActionOf(v1::ACTION_KIND_OXYGEN));  // still on: counted once
  run.RunTo(64.9);
  EXPECT_EQ(run.engine().current_state(), "svt");
  run.RunTo(65);
  ASSERT_EQ(run.Entries().size(), 1u);
  EXPECT_EQ(run.Entries()[0].state_change().to_state(), "oxygenated");
  EXPECT_DOUBLE_EQ(run.Entries()[0].sim_time_s(), 65);
}

TEST(EngineConditionsTest, SameInputsGiveTheSameEventsBitForBit) {
  const auto play = [] {
    ConditionRun run(kSepsis);
    run.Act(60, Fluid(310));
    run.Act(200, Drug("ceftriaxone", 2000));
    run.Act(700, Fluid(930));
    run.RunTo(900);
    std::string bytes;
    for (const v1::Event& event : run.events()) bytes += event.SerializeAsString();
    return bytes;
  };
  EXPECT_EQ(play(), play());
}

// A condition on monitoring and a test: only capnography (not the ECG) and
// only the blood gas (not a lactate) count, and the reason names both.
constexpr char kMonitored[] = R"(
id: monitored
title: Monitoring and a test in one condition
patient: {age_years: 6, weight_kg: 20}
noise_scale: 0
initial_state: wheeze
diagnostic_results: [{diagnostic: blood_gas, text: acidosis}]
states:
  - name: wheeze
    transitions:
      - to_state: watched
        label: capnography on and a gas sent
        when:
          all_of:
            - action: {kind: sensor_attached, sensor: capnography}
            - action: {kind: diagnostic_ordered, diagnostic: blood_gas}
  - {name: watched, terminal: true}
)";

TEST(EngineConditionsTest, ASensorAndATestInAConditionAreMatchedByWhichOne) {
  ConditionRun run(kMonitored);
  v1::LearnerAction ecg = ActionOf(v1::ACTION_KIND_SENSOR_ATTACHED);
  ecg.set_sensor(v1::MONITOR_SENSOR_ECG_LEADS);
  run.Act(5, ecg);
  v1::LearnerAction lactate = ActionOf(v1::ACTION_KIND_DIAGNOSTIC_ORDERED);
  lactate.set_diagnostic("lactate");
  run.Act(6, lactate);
  v1::LearnerAction capnography = ActionOf(v1::ACTION_KIND_SENSOR_ATTACHED);
  capnography.set_sensor(v1::MONITOR_SENSOR_CAPNOGRAPHY);
  run.Act(10, capnography);
  EXPECT_TRUE(run.Entries().empty()) << "no blood gas yet";
  v1::LearnerAction gas = ActionOf(v1::ACTION_KIND_DIAGNOSTIC_ORDERED);
  gas.set_diagnostic("blood_gas");
  const uint64_t ordered = run.Act(70, gas);
  ASSERT_EQ(run.Entries().size(), 1u);
  EXPECT_EQ(run.Entries()[0].cause_event_id(), ordered);
  EXPECT_EQ(run.Entries()[0].state_change().reason(),
            "sensor_attached capnography at 00:10 and blood_gas at 01:10");
}

}  // namespace
}  // namespace pedisim::engine

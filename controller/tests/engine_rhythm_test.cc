// A handler's rhythm for a while (Handler.rhythm_effect): shown from the
// action for its duration, then the script's rhythm again; no arrest.

#include <gtest/gtest.h>

#include <string>

#include "controller/engine/engine.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::engine {
namespace {

// Effect sizes and durations are test values.
constexpr char kSvt[] = R"(
id: svt
title: SVT
patient: {age_months: 6, weight_kg: 7}
noise_scale: 0
initial_state: svt
states:
  - name: svt
    vitals: {rhythm: svt, heart_rate_bpm: 260, spo2_pct: 95}
    transitions:
      - {to_state: sinus, label: adenosine converts, on_action: {kind: drug, drug: adenosine}, delay_s: 6}
  - name: sinus
    terminal: true
    vitals: {rhythm: sinus_tachycardia, heart_rate_bpm: 150}
handlers:
  - name: adenosine pause
    on_action: {kind: drug, drug: adenosine}
    rhythm_effect: {rhythm: asystole, duration_s: 6}
    explanation: adenosine blocks the AV node for a few seconds
  - name: vagal manoeuvre
    on_action: {kind: vagal_maneuver}
    rhythm_effect: {rhythm: sinus_tachycardia, duration_s: 10}
    effects:
      - {vital: heart_rate_bpm, change: -80, onset_s: 0, hold_s: 10, wear_off_s: 0}
    explanation: ice to the face slows the rate for a few seconds
)";

v1::Scenario Load() {
  scenario::LoadResult result = scenario::ParseScenario("svt.yaml", kSvt);
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  return result.scenario.value_or(v1::Scenario());
}

v1::Event ActionEvent(const Engine& engine, uint64_t id, const v1::LearnerAction& action) {
  v1::Event event;
  event.set_id(id);
  event.set_sim_time_s(engine.sim_time_s());
  event.set_kind(v1::EVENT_KIND_LEARNER_ACTION);
  event.set_agent(v1::AGENT_LEARNER);
  *event.mutable_action() = action;
  return event;
}

void StepFor(Engine& engine, double seconds) {
  const int steps = static_cast<int>(seconds / Engine::kStepS + 0.5);
  for (int i = 0; i < steps; ++i) engine.Step(100);
}

TEST(EngineRhythmTest, AdenosinesPauseThenTheRhythmTheScenarioSays) {
  Engine engine(Load(), 1);
  engine.Begin(1);
  StepFor(engine, 1);
  engine.Apply(ActionEvent(engine, 10, testing::Drug("adenosine", 0.7)), 11);
  StepFor(engine, 0.1);
  v1::Vitals shown = engine.Vitals();
  EXPECT_EQ(shown.rhythm(), v1::RHYTHM_ASYSTOLE);
  EXPECT_EQ(shown.heart_rate_bpm(), 0);
  // A pause of seconds is no arrest: the oximeter keeps its reading.
  EXPECT_TRUE(engine.PulsePresent());
  EXPECT_TRUE(shown.has_spo2_pct());
  StepFor(engine, 5.8);
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_ASYSTOLE) << "6 s have not passed";
  StepFor(engine, 0.2);
  EXPECT_EQ(engine.current_state(), "sinus");
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_SINUS_TACHYCARDIA);
}

TEST(EngineRhythmTest, AVagalManoeuvreSlowsTheRhythmForAWhileThenSvtReturns) {
  Engine engine(Load(), 1);
  engine.Begin(1);
  StepFor(engine, 1);
  engine.Apply(ActionEvent(engine, 10, testing::ActionOf(v1::ACTION_KIND_VAGAL_MANEUVER)), 11);
  StepFor(engine, 1);
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_SINUS_TACHYCARDIA);
  EXPECT_NEAR(engine.Vitals().heart_rate_bpm(), 180, 1e-9);
  StepFor(engine, 9.1);
  EXPECT_EQ(engine.current_state(), "svt");
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_SVT);
  EXPECT_NEAR(engine.Vitals().heart_rate_bpm(), 260, 1e-9);
}

TEST(EngineRhythmTest, AnInstructorsRhythmWinsOverAHandlers) {
  Engine engine(Load(), 1);
  engine.Begin(1);
  v1::Event override_rhythm;
  override_rhythm.set_id(5);
  override_rhythm.set_kind(v1::EVENT_KIND_VITALS_OVERRIDDEN);
  override_rhythm.mutable_vitals_override()->mutable_vitals()->set_rhythm(
      v1::RHYTHM_ATRIAL_FLUTTER);
  engine.Apply(override_rhythm, 6);
  engine.Apply(ActionEvent(engine, 10, testing::ActionOf(v1::ACTION_KIND_VAGAL_MANEUVER)), 11);
  StepFor(engine, 1);
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_ATRIAL_FLUTTER);
}

}  // namespace
}  // namespace pedisim::engine

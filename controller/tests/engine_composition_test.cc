// How handler effects compose with the states' targets (State.vitals_relative),
// and the breathing of a patient without a pulse (engine/ventilation.h).

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "controller/engine/engine.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::engine {
namespace {

// A 10 kg one-year-old in SVT: each bolus lowers the heart rate by 10 for
// good, a vagal manoeuvre by 30 for a minute.
constexpr char kScenario[] = R"(
id: composition-test
title: Composition test
patient: {age_years: 1, weight_kg: 10}
noise_scale: 0
initial_state: svt
handlers:
  - name: bolus
    on_action: {kind: fluid_bolus}
    effects: [{vital: heart_rate_bpm, change: -10, onset_s: 0, lasting: true}]
  - name: vagal
    on_action: {kind: vagal_maneuver}
    effects: [{vital: heart_rate_bpm, change: -30, onset_s: 0, hold_s: 60, wear_off_s: 0}]
states:
  - name: svt
    vitals: {heart_rate_bpm: 220, respiratory_rate_bpm: 40, spo2_pct: 97, rhythm: svt}
    transitions:
      - {to_state: scripted, instructor_choice: true}
      - {to_state: relative, instructor_choice: true}
      - {to_state: vf, instructor_choice: true}
  - name: scripted
    trend_duration_s: 20
    vitals: {heart_rate_bpm: 130, rhythm: sinus_tachycardia}
    transitions: [{to_state: relative, instructor_choice: true}]
  - name: relative
    vitals_relative: true
    vitals: {heart_rate_bpm: -20}
    transitions: [{to_state: scripted, instructor_choice: true}]
  - name: vf
    # The script forgets to stop the breathing; the engine does not breathe
    # for a patient without a pulse.
    vitals: {rhythm: ventricular_fibrillation, respiratory_rate_bpm: 24, etco2_mmhg: 35}
    transitions: [{to_state: rosc, instructor_choice: true}]
  - name: rosc
    vitals: {rhythm: sinus_tachycardia, heart_rate_bpm: 150}
    transitions: [{to_state: oxygenated, instructor_choice: true}]
  - name: oxygenated
    trend_duration_s: 10
    vitals: {spo2_pct: 95}
    transitions: [{to_state: done, instructor_choice: true}]
  - name: done
    terminal: true
)";

class CompositionTest : public ::testing::Test {
 protected:
  CompositionTest() : engine_(Load(), 5) { engine_.Begin(next_id_++); }

  static v1::Scenario Load() {
    scenario::LoadResult result = scenario::ParseScenario("composition.yaml", kScenario);
    EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
    return result.scenario.value_or(v1::Scenario());
  }
  void RunFor(double seconds) {
    for (int i = 0; i < static_cast<int>(seconds / Engine::kStepS + 0.5); ++i) {
      next_id_ += engine_.Step(next_id_).size();
    }
  }
  void Act(v1::ActionKind kind) {
    v1::Event input = Input(v1::EVENT_KIND_LEARNER_ACTION);
    input.mutable_action()->set_kind(kind);
    next_id_ += engine_.Apply(input, next_id_).size();
  }
  void GoTo(const std::string& state) {
    v1::Event input = Input(v1::EVENT_KIND_STATE_ENTERED);
    input.mutable_state_change()->set_to_state(state);
    next_id_ += engine_.Apply(input, next_id_).size();
    ASSERT_EQ(engine_.current_state(), state);
  }
  double HeartRate() const { return engine_.Vitals().heart_rate_bpm(); }

  Engine engine_;

 private:
  v1::Event Input(v1::EventKind kind) {
    v1::Event input;
    input.set_id(next_id_++);
    input.set_sim_time_s(engine_.sim_time_s());
    input.set_kind(kind);
    input.set_agent(kind == v1::EVENT_KIND_STATE_ENTERED ? v1::AGENT_INSTRUCTOR
                                                         : v1::AGENT_LEARNER);
    return input;
  }
  uint64_t next_id_ = 1;
};

TEST_F(CompositionTest, AStatesScriptedVitalsShowAsScriptedAfterLastingEffects) {
  for (int bolus = 0; bolus < 3; ++bolus) {
    Act(v1::ACTION_KIND_FLUID_BOLUS);
    RunFor(5);
  }
  EXPECT_NEAR(HeartRate(), 190, 1e-9) << "three lasting -10s";
  GoTo("scripted");
  EXPECT_NEAR(HeartRate(), 190, 1e-9) << "no jump at the entry: the trend starts where HR was";
  RunFor(10);
  EXPECT_NEAR(HeartRate(), 160, 1e-9) << "half way from 190 to 130";
  RunFor(10);
  EXPECT_NEAR(HeartRate(), 130, 1e-9) << "as scripted, not 100";
  RunFor(300);
  EXPECT_NEAR(HeartRate(), 130, 1e-9);
  // A bolus given in the scripted state acts on top of its target, until a
  // state scripts the heart rate again.
  Act(v1::ACTION_KIND_FLUID_BOLUS);
  RunFor(1);
  EXPECT_NEAR(HeartRate(), 120, 1e-9);
}

TEST_F(CompositionTest, TimedEffectsRunTheirCourseOverANewTarget) {
  Act(v1::ACTION_KIND_VAGAL_MANEUVER);
  RunFor(10);
  EXPECT_NEAR(HeartRate(), 190, 1e-9);
  GoTo("scripted");
  RunFor(20);
  EXPECT_NEAR(HeartRate(), 100, 1e-9) << "130 scripted, the vagal -30 still held";
  RunFor(31);  // the hold ends 60 s after the manoeuvre
  EXPECT_NEAR(HeartRate(), 130, 1e-9);
}

TEST_F(CompositionTest, ARelativeStateMovesTheScriptAndKeepsLastingEffects) {
  Act(v1::ACTION_KIND_FLUID_BOLUS);
  RunFor(1);
  EXPECT_NEAR(HeartRate(), 210, 1e-9);
  GoTo("relative");
  RunFor(1);
  EXPECT_NEAR(HeartRate(), 190, 1e-9) << "the script's 220 lowered by 20, the bolus's -10 kept";
  GoTo("scripted");
  RunFor(20);
  EXPECT_NEAR(HeartRate(), 130, 1e-9) << "an absolute state ends the lasting effect";
}

TEST_F(CompositionTest, VfShowsNoBreathingUnlessVentilated) {
  GoTo("vf");
  RunFor(1);
  v1::Vitals vitals = engine_.Vitals();
  EXPECT_EQ(vitals.respiratory_rate_bpm(), 0) << "the script's 24 is no breathing effort";
  EXPECT_EQ(vitals.etco2_mmhg(), 0) << "no breath, no exhaled CO2";

  // Breaths every 4 s from the manikin.
  for (int second = 0; second < 40; ++second) {
    if (second % 4 == 0) Act(v1::ACTION_KIND_VENTILATION);
    RunFor(1);
  }
  vitals = engine_.Vitals();
  EXPECT_NEAR(vitals.respiratory_rate_bpm(), 14, 1e-9) << "7 breaths in the last 30 s";
  EXPECT_EQ(vitals.etco2_mmhg(), 2) << "ventilated, but no compressions: almost no CO2 arrives";
  // Good compressions as well: EtCO2 follows their flow.
  for (int half_second = 0; half_second < 16; ++half_second) {
    if (half_second % 8 == 0) Act(v1::ACTION_KIND_VENTILATION);
    v1::Event compression;
    compression.set_kind(v1::EVENT_KIND_LEARNER_ACTION);
    compression.set_sim_time_s(engine_.sim_time_s());
    v1::CompressionSample& sample = *compression.mutable_action()->mutable_compression();
    compression.mutable_action()->set_kind(v1::ACTION_KIND_CHEST_COMPRESSION);
    sample.set_depth_mm(50);
    sample.set_rate_per_min(110);
    sample.set_full_recoil(true);
    engine_.Apply(compression, 1000);
    RunFor(0.5);
  }
  EXPECT_NEAR(engine_.Vitals().etco2_mmhg(), 20, 1e-9);
  RunFor(11);
  EXPECT_EQ(engine_.Vitals().respiratory_rate_bpm(), 0) << "the breaths stopped";
  EXPECT_EQ(engine_.Vitals().etco2_mmhg(), 0);

  // Bag-mask ventilation logged by hand ventilates for a minute at 20 /min.
  Act(v1::ACTION_KIND_BAG_MASK_VENTILATION);
  RunFor(1);
  EXPECT_EQ(engine_.Vitals().respiratory_rate_bpm(), 20);
  RunFor(60);
  EXPECT_EQ(engine_.Vitals().respiratory_rate_bpm(), 0);
}

TEST_F(CompositionTest, ApnoeaWithoutAPulseDesaturatesAtTheAgesRateUntilAStateScriptsSpo2) {
  GoTo("vf");
  RunFor(100);
  EXPECT_FALSE(engine_.Vitals().has_spo2_pct()) << "no reading without a pulse";
  // One year: between 0-6 months (96.5 s) and 2-5 years (160 s) for 9.5 points.
  const double rate = Ventilation::DesaturationPctPerS(1);
  EXPECT_GT(rate, 9.5 / 160);
  EXPECT_LT(rate, 9.5 / 96.5);
  GoTo("rosc");
  const double after_apnoea = engine_.Vitals().spo2_pct();
  EXPECT_NEAR(after_apnoea, 97 - 100 * rate, 1e-6) << "100 s of apnoea";
  // Breathing again (the rosc state keeps the scripted rate of 24) brings
  // the saturation back.
  RunFor(60);
  EXPECT_GT(engine_.Vitals().spo2_pct(), after_apnoea + 3);
  // A state that scripts SpO2 shows its number.
  GoTo("oxygenated");
  RunFor(10);
  EXPECT_NEAR(engine_.Vitals().spo2_pct(), 95, 1e-9);
}

TEST(VentilationTest, DesaturationRatesFollowTheThreeAgeGroups) {
  EXPECT_NEAR(Ventilation::DesaturationPctPerS(0.1), 9.5 / 96.5, 1e-12);
  EXPECT_NEAR(Ventilation::DesaturationPctPerS(3.5), 9.5 / 160, 1e-12);
  EXPECT_NEAR(Ventilation::DesaturationPctPerS(16), 9.5 / 382, 1e-12);
  EXPECT_GT(Ventilation::DesaturationPctPerS(8), Ventilation::DesaturationPctPerS(12));
}

}  // namespace
}  // namespace pedisim::engine

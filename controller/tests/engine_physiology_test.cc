// The scenario language's dynamic parts in the engine: handlers, action
// conditions, vital triggers, findings and physiological coupling.

#include <gtest/gtest.h>

#include "controller/engine/engine.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::engine {
namespace {

// A 10 kg child, so per-kg conditions read easily.
constexpr char kScenario[] = R"(
id: physiology-test
title: Physiology test
patient: {age_years: 1, weight_kg: 10}
noise_scale: 0
initial_state: shock
handlers:
  - name: oxygen
    on_action: {kind: oxygen}
    effects: [{vital: spo2_pct, change: 6, onset_s: 10, lasting: true}]
    explanation: oxygen raises SpO2
  - name: bolus
    on_action: {kind: fluid_bolus, volume_ml_per_kg: {min: 10, max: 20}}
    effects:
      - {vital: heart_rate_bpm, change: -20, onset_s: 10, hold_s: 20, wear_off_s: 10}
    findings: {capillary_refill_s: 2}
    explanation: a 10-20 mL/kg bolus restores preload
states:
  - name: shock
    vitals: {heart_rate_bpm: 170, spo2_pct: 90, nibp_systolic_mmhg: 80, nibp_diastolic_mmhg: 44}
    findings: {capillary_refill_s: 5, central_pulse: weak}
    transitions:
      - to_state: arrest
        label: second epinephrine at the right dose
        on_action: {kind: drug, drug: epinephrine, dose_mg_per_kg: {min: 0.009, max: 0.011},
                    routes: [IV, IO], count: 2}
      - to_state: desaturated
        on_vital: {vital: spo2_pct, above: 95, held_for_s: 3}
  - name: desaturated
    terminal: true
  - name: arrest
    vitals: {rhythm: ventricular_fibrillation, respiratory_rate_bpm: 0}
    transitions: [{to_state: desaturated, after_time_in_state_s: 600}]
)";

v1::Scenario Load() {
  scenario::LoadResult result = scenario::ParseScenario("physiology.yaml", kScenario);
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  return result.scenario.value_or(v1::Scenario());
}

class EnginePhysiologyTest : public ::testing::Test {
 protected:
  EnginePhysiologyTest() : engine_(Load(), 3) { Collect(engine_.Begin(NextId())); }

  uint64_t NextId() const { return events_.size() + 1; }
  void Collect(const std::vector<v1::Event>& produced) {
    events_.insert(events_.end(), produced.begin(), produced.end());
  }
  void Steps(double seconds) {
    for (int i = 0; i < static_cast<int>(seconds / Engine::kStepS + 0.5); ++i) {
      Collect(engine_.Step(NextId()));
    }
  }
  const v1::Event& Act(v1::LearnerAction action) {
    v1::Event input;
    input.set_id(NextId());
    input.set_sim_time_s(engine_.sim_time_s());
    input.set_kind(v1::EVENT_KIND_LEARNER_ACTION);
    *input.mutable_action() = std::move(action);
    events_.push_back(input);
    const size_t index = events_.size() - 1;
    Collect(engine_.Apply(input, NextId()));
    return events_[index];
  }
  static v1::LearnerAction Drug(const char* drug, double dose_mg, const char* route) {
    v1::LearnerAction action;
    action.set_kind(v1::ACTION_KIND_DRUG);
    action.set_drug(drug);
    action.set_dose_mg(dose_mg);
    action.set_route(route);
    return action;
  }
  uint64_t CauseOf(const std::string& vital) const {
    const v1::VitalsSample sample = engine_.Sample();
    for (const v1::VitalCause& cause : sample.causes()) {
      if (cause.vital() == vital) return cause.event_id();
    }
    return 0;
  }

  Engine engine_;
  std::vector<v1::Event> events_;
};

TEST_F(EnginePhysiologyTest, HandlerEffectRampsAndNamesItsCause) {
  v1::LearnerAction oxygen;
  oxygen.set_kind(v1::ACTION_KIND_OXYGEN);
  const uint64_t action_id = Act(oxygen).id();
  const v1::Event& applied = events_.back();
  ASSERT_EQ(applied.kind(), v1::EVENT_KIND_HANDLER_APPLIED);
  EXPECT_EQ(applied.cause_event_id(), action_id);
  EXPECT_EQ(applied.summary(), "oxygen raises SpO2");
  Steps(5);
  EXPECT_NEAR(engine_.Vitals().spo2_pct(), 93, 1e-9) << "half of +6 after half the onset";
  EXPECT_EQ(CauseOf("spo2_pct"), applied.id()) << "why did SpO2 rise? the handler";
  Steps(5);
  EXPECT_NEAR(engine_.Vitals().spo2_pct(), 96, 1e-9);
}

TEST_F(EnginePhysiologyTest, VitalTriggerFiresAfterTheHoldTime) {
  v1::LearnerAction oxygen;
  oxygen.set_kind(v1::ACTION_KIND_OXYGEN);
  Act(oxygen);
  Steps(9.0);  // SpO2 passes 95 at 8.33 s
  EXPECT_EQ(engine_.current_state(), "shock");
  Steps(2.5);  // held above 95 for 3 s by 11.4 s
  EXPECT_EQ(engine_.current_state(), "desaturated");
}

TEST_F(EnginePhysiologyTest, BolusWithinRangeActsAndWearsOffAndSetsFindings) {
  v1::LearnerAction too_much;
  too_much.set_kind(v1::ACTION_KIND_FLUID_BOLUS);
  too_much.set_volume_ml(400);  // 40 mL/kg: outside 10-20
  Act(too_much);
  EXPECT_NE(events_.back().kind(), v1::EVENT_KIND_HANDLER_APPLIED);

  v1::LearnerAction bolus;
  bolus.set_kind(v1::ACTION_KIND_FLUID_BOLUS);
  bolus.set_volume_ml(200);  // 20 mL/kg
  Act(bolus);
  EXPECT_EQ(engine_.Findings().capillary_refill_s(), 2);
  Steps(10);
  EXPECT_NEAR(engine_.Vitals().heart_rate_bpm(), 150, 1e-9);
  Steps(25);  // 5 s into the 10 s wear-off
  EXPECT_NEAR(engine_.Vitals().heart_rate_bpm(), 160, 1e-9);
  Steps(10);
  EXPECT_NEAR(engine_.Vitals().heart_rate_bpm(), 170, 1e-9);
}

TEST_F(EnginePhysiologyTest, DoseRouteAndCountConditionsPerKg) {
  Act(Drug("epinephrine", 1.0, "IV"));  // ten-fold: 0.1 mg/kg
  Act(Drug("epinephrine", 0.1, "IM"));  // wrong route
  Act(Drug("Epinephrine", 0.1, "io"));  // first correct
  EXPECT_EQ(engine_.current_state(), "shock") << "count: 2 needs a second correct dose";
  const uint64_t second = Act(Drug("epinephrine", 0.1, "IV")).id();
  EXPECT_EQ(engine_.current_state(), "arrest");
  const v1::Event& entered = events_.back().kind() == v1::EVENT_KIND_STATE_ENTERED
                                 ? events_.back()
                                 : events_[events_.size() - 2];
  EXPECT_EQ(entered.cause_event_id(), second);
}

TEST_F(EnginePhysiologyTest, NoPulseNoSaturationAndCompressionsDriveEtco2) {
  Act(Drug("epinephrine", 0.1, "IV"));
  Act(Drug("epinephrine", 0.1, "IV"));
  ASSERT_EQ(engine_.current_state(), "arrest");
  EXPECT_FALSE(engine_.PulsePresent());
  v1::Vitals vitals = engine_.Vitals();
  EXPECT_FALSE(vitals.has_spo2_pct());
  EXPECT_FALSE(vitals.has_nibp_systolic_mmhg());
  EXPECT_FALSE(vitals.has_heart_rate_bpm()) << "VF has no countable rate";
  EXPECT_EQ(engine_.Findings().central_pulse(), v1::PULSE_STRENGTH_ABSENT);
  EXPECT_EQ(vitals.etco2_mmhg(), 0) << "no breath, nothing exhaled";

  // Compressions with a breath every 2 s.
  auto compress = [&](double depth_mm, double rate) {
    for (int i = 0; i < 12; ++i) {
      if (i % 4 == 0) {
        v1::LearnerAction breath;
        breath.set_kind(v1::ACTION_KIND_VENTILATION);
        Act(breath);
      }
      v1::LearnerAction compression;
      compression.set_kind(v1::ACTION_KIND_CHEST_COMPRESSION);
      compression.mutable_compression()->set_depth_mm(depth_mm);
      compression.mutable_compression()->set_rate_per_min(rate);
      compression.mutable_compression()->set_full_recoil(true);
      Act(compression);
      Steps(0.5);
    }
  };
  compress(50, 110);  // on target for a child
  const double good = engine_.Vitals().etco2_mmhg();
  compress(25, 80);  // shallow and slow
  const double poor = engine_.Vitals().etco2_mmhg();
  EXPECT_NEAR(good, 20, 1e-9);
  EXPECT_LT(poor, good - 8);
}

TEST_F(EnginePhysiologyTest, MeanArterialPressureFollowsSystolicAndDiastolic) {
  // 44 + (80 - 44) / 3
  EXPECT_NEAR(engine_.Vitals().nibp_mean_mmhg(), 56, 1e-9);
  EXPECT_EQ(engine_.age_band().name(), "toddler");
  const v1::VitalsSample sample = engine_.Sample();
  EXPECT_NE(std::find(sample.abnormal().begin(), sample.abnormal().end(), "heart_rate_bpm"),
            sample.abnormal().end())
      << "170 is above the toddler range 98-140";
  EXPECT_NE(std::find(sample.alarming().begin(), sample.alarming().end(), "heart_rate_bpm"),
            sample.alarming().end())
      << "and above the pediatric alarm limit of 160";
}

TEST(EngineNoiseTest, NoiseIsSeededSmallAndRepeatable) {
  v1::Scenario scenario = Load();
  scenario.clear_noise_scale();  // default: monitor-like wander
  Engine first(scenario, 11), second(scenario, 11), other(scenario, 12);
  first.Begin(1);
  second.Begin(1);
  other.Begin(1);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    first.Step(100);
    second.Step(100);
    other.Step(100);
    EXPECT_EQ(first.Vitals().SerializeAsString(), second.Vitals().SerializeAsString());
    EXPECT_NEAR(first.Vitals().heart_rate_bpm(), 170, 1.5 + 1e-9);
    differs = differs || first.Vitals().heart_rate_bpm() != other.Vitals().heart_rate_bpm();
  }
  EXPECT_TRUE(differs) << "another seed wanders differently";
}

}  // namespace
}  // namespace pedisim::engine

namespace pedisim::engine {
namespace {

TEST(EngineVitalTriggerTest, TriggersReadWhatTheMonitorShows) {
  // The state sets systolic and diastolic only: the monitor's mean is
  // derived (44 + (80 - 44) / 3 = 56), and the trigger must see that value,
  // not the age band's default mean.
  scenario::LoadResult loaded = scenario::ParseScenario("map.yaml", R"(
id: map-trigger
title: MAP trigger
patient: {age_years: 1, weight_kg: 10}
noise_scale: 0
initial_state: shock
states:
  - name: shock
    vitals: {nibp_systolic_mmhg: 80, nibp_diastolic_mmhg: 44}
    transitions: [{to_state: low-map, on_vital: {vital: nibp_mean_mmhg, below: 58, held_for_s: 1}}]
  - name: low-map
    terminal: true
)");
  ASSERT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  Engine engine(*loaded.scenario, 1);
  engine.Begin(1);
  for (int i = 0; i < 9; ++i) engine.Step(10);
  EXPECT_EQ(engine.current_state(), "shock") << "held for 0.9 s only";
  engine.Step(10);
  EXPECT_EQ(engine.current_state(), "low-map");
}

}  // namespace
}  // namespace pedisim::engine

// Monitoring, diagnostics and procedures in scenario rules: transitions,
// critical actions and order constraints matching a sensor, a diagnostic
// test (a bedside glucose check counting as the glucose test), a tube
// confirmation and a nebulised drug, through a real Simulation.
#include <gtest/gtest.h>

#include <string>

#include "controller/engine/action_match.h"
#include "controller/tests/assessed_run.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/diagnostic_results.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::session {
namespace {

using testing::ActionOf;
using testing::AssessedRun;
using testing::Drug;
using testing::Note;

// 6 years, 20 kg: salbutamol 0.15 mg/kg is 3 mg.
constexpr char kScenario[] = R"(
id: kinds
title: Monitoring, diagnostics and procedures
noise_scale: 0
patient: {age_years: 6, weight_kg: 20}
initial_state: wheeze
diagnostic_results:
  - diagnostic: blood_gas
    states: [wheeze]
    text: respiratory acidosis
    values: [{name: pH, value: 7.28}, {name: pCO2, value: 7.1, unit: kPa}]
  - {diagnostic: blood_gas, text: normal, values: [{name: pH, value: 7.38}]}
  - {diagnostic: glucose, values: [{name: glucose, value: 8.1, unit: mmol/L}]}
states:
  - name: wheeze
    transitions:
      - to_state: easing
        label: nebulised salbutamol
        on_action:
          kind: drug
          drug: salbutamol
          dose_mg_per_kg: {min: 0.14, max: 0.5}
          dose_mg: {min: 2.5, max: 10}
          routes: [NEB]
  - name: easing
    transitions:
      - to_state: tubed
        label: tube confirmed by capnography
        on_action: {kind: intubation_confirmed, confirmation: etco2}
  - {name: tubed, terminal: true}
critical_actions:
  - name: capnography within 2 min
    action: {kind: sensor_attached, sensor: capnography}
    competencies: [patient_care]
    deadline_s: 120
  - name: blood gas ordered
    action: {kind: diagnostic_ordered, diagnostic: blood_gas}
    competencies: [patient_care]
    deadline_s: 600
  - name: glucose measured
    action: {kind: diagnostic_ordered, diagnostic: glucose}
    competencies: [patient_care]
    deadline_s: 600
  - name: needle decompression
    action: {kind: needle_decompression}
    competencies: [patient_care]
    deadline_s: 600
order_constraints:
  - name: SpO2 probe before the nebuliser
    first: [{kind: sensor_attached, sensor: spo2_probe}]
    then: [{kind: drug, drug: salbutamol}]
    competencies: [patient_care]
)";

v1::Scenario Load() {
  scenario::LoadResult loaded = scenario::ParseScenario("kinds.yaml", kScenario);
  EXPECT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  EXPECT_TRUE(loaded.diagnostics.empty()) << loaded.FormatDiagnostics();
  return loaded.scenario.value_or(v1::Scenario());
}

v1::LearnerAction Sensor(v1::MonitorSensor sensor) {
  v1::LearnerAction action = ActionOf(v1::ACTION_KIND_SENSOR_ATTACHED);
  action.set_sensor(sensor);
  return action;
}

v1::LearnerAction Ordered(const std::string& diagnostic) {
  v1::LearnerAction action = ActionOf(v1::ACTION_KIND_DIAGNOSTIC_ORDERED);
  action.set_diagnostic(diagnostic);
  return action;
}

v1::LearnerAction Confirmed(v1::TubeConfirmation how) {
  v1::LearnerAction action = ActionOf(v1::ACTION_KIND_INTUBATION_CONFIRMED);
  action.set_confirmation(how);
  return action;
}

TEST(MonitoringKindsTest, ASensorRuleWaitsForItsSensorOnly) {
  AssessedRun run(Load());
  run.Act(20, Sensor(v1::MONITOR_SENSOR_ECG_LEADS));
  run.Act(30, Note("capnography on"));
  run.RunTo(121);
  EXPECT_EQ(run.Grade("capnography within 2 min").grade(), v1::GRADE_OMITTED)
      << "ECG leads and a note are not capnography";
  run.Act(150, Sensor(v1::MONITOR_SENSOR_CAPNOGRAPHY));
  EXPECT_EQ(run.Grade("capnography within 2 min").grade(), v1::GRADE_MET_LATE);
}

TEST(MonitoringKindsTest, AnOrderConstraintNamesTheSensorToComeFirst) {
  AssessedRun right(Load());
  right.Act(10, Sensor(v1::MONITOR_SENSOR_SPO2_PROBE));
  right.Act(60, Drug("salbutamol", 3, "NEB"));
  EXPECT_EQ(right.Grade("SpO2 probe before the nebuliser").grade(), v1::GRADE_MET);

  AssessedRun wrong(Load());
  wrong.Act(10, Sensor(v1::MONITOR_SENSOR_CAPNOGRAPHY));
  wrong.Act(60, Drug("salbutamol", 3, "NEB"));
  EXPECT_EQ(wrong.Grade("SpO2 probe before the nebuliser").grade(), v1::GRADE_WRONG)
      << "capnography is not the SpO2 probe";
}

TEST(DiagnosticKindsTest, ATestRuleWaitsForThatTestAndABedsideGlucoseIsTheGlucoseTest) {
  AssessedRun run(Load());
  run.Act(30, Ordered("lactate"));
  run.Act(40, Note("blood gas sent"));
  EXPECT_EQ(run.Grade("blood gas ordered").grade(), v1::GRADE_PENDING);
  run.Act(50, Ordered("Blood_Gas"));
  EXPECT_EQ(run.Grade("blood gas ordered").grade(), v1::GRADE_MET);
  run.Act(60, ActionOf(v1::ACTION_KIND_GLUCOSE_CHECK));
  EXPECT_EQ(run.Grade("glucose measured").grade(), v1::GRADE_MET);
}

TEST(DiagnosticKindsTest, AnyTestIsNotMetByABedsideGlucose) {
  v1::ActionTrigger any_test;
  any_test.set_kind(v1::ACTION_KIND_DIAGNOSTIC_ORDERED);
  EXPECT_TRUE(engine::MatchesAction(any_test, Ordered("chest_xray"), 20));
  EXPECT_FALSE(engine::MatchesAction(any_test, ActionOf(v1::ACTION_KIND_GLUCOSE_CHECK), 20));
  v1::ActionTrigger bedside;
  bedside.set_kind(v1::ACTION_KIND_GLUCOSE_CHECK);
  EXPECT_FALSE(engine::MatchesAction(bedside, Ordered("glucose"), 20))
      << "a rule for the bedside check stays as it was";
}

TEST(DiagnosticKindsTest, TheResultShownIsTheCurrentStatesElseTheOneForEveryState) {
  const v1::Scenario scenario = Load();
  const v1::DiagnosticResult* worsening = scenario::ResultFor(scenario, "blood_gas", "wheeze");
  ASSERT_NE(worsening, nullptr);
  EXPECT_EQ(worsening->text(), "respiratory acidosis");
  const v1::DiagnosticResult* later = scenario::ResultFor(scenario, "BLOOD_GAS", "easing");
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(later->text(), "normal");
  EXPECT_EQ(scenario::ResultFor(scenario, "chest_xray", "wheeze"), nullptr);
}

TEST(ProcedureKindsTest, NebulisedSalbutamolAndATubeConfirmedByCapnographyMoveTheScenario) {
  AssessedRun run(Load());
  run.Act(10, Drug("salbutamol", 3, "IV"));
  EXPECT_EQ(run.simulation().engine().current_state(), "wheeze") << "not nebulised";
  run.Act(20, Drug("salbutamol", 1.5, "NEB"));
  EXPECT_EQ(run.simulation().engine().current_state(), "wheeze")
      << "0.075 mg/kg, under the 2.5 mg minimum";
  run.Act(30, Drug("Salbutamol", 3, "neb"));
  EXPECT_EQ(run.simulation().engine().current_state(), "easing");
  run.Act(40, Confirmed(v1::TUBE_CONFIRMATION_AUSCULTATION));
  EXPECT_EQ(run.simulation().engine().current_state(), "easing")
      << "auscultation is not the capnography the transition asks for";
  run.Act(50, Confirmed(v1::TUBE_CONFIRMATION_ETCO2));
  EXPECT_EQ(run.simulation().engine().current_state(), "tubed");
}

TEST(ProcedureKindsTest, NeedleDecompressionIsMetByItsKindAndNotByANote) {
  AssessedRun run(Load());
  run.Act(10, Note("needle decompression left"));
  EXPECT_EQ(run.Grade("needle decompression").grade(), v1::GRADE_PENDING);
  run.Act(20, ActionOf(v1::ACTION_KIND_NEEDLE_DECOMPRESSION));
  EXPECT_EQ(run.Grade("needle decompression").grade(), v1::GRADE_MET);
}

}  // namespace
}  // namespace pedisim::session

// Critical actions met by a condition (CriticalAction.condition), graded by
// the assessor through a real Simulation on simulated time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "controller/tests/assessed_run.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::session {
namespace {

// 20 kg: 400 mL is 20 mL/kg.
constexpr char kScenario[] = R"(
id: condition-items
title: Condition items
noise_scale: 0
patient: {age_years: 5, weight_kg: 20}
quantities:
  - {name: fluid-total, kind: fluid_ml_per_kg, label: fluid in total}
initial_state: shock
states:
  - name: shock
    transitions: [{to_state: done, instructor_choice: true}]
  - {name: done, terminal: true}
critical_actions:
  - name: Fluid and antibiotic
    condition:
      all_of:
        - quantity: {quantity: fluid-total, at_least: 40}
        - action: {kind: drug, drug: ceftriaxone, dose_mg_per_kg: {min: 50}, dose_mg: {max: 2000}}
    deadline_s: 600
    competencies: [patient_care]
  - name: Rate control
    condition:
      any_of:
        - action: {kind: drug, drug: adenosine}
        - action: {kind: synchronized_cardioversion}
    deadline_s: 120
    competencies: [patient_care]
)";

// An assessed run of the condition-items scenario.
class ConditionRun : public testing::AssessedRun {
 public:
  ConditionRun() : testing::AssessedRun(Load()) {}

 private:
  static v1::Scenario Load() {
    scenario::LoadResult loaded = scenario::ParseScenario("items.yaml", kScenario);
    EXPECT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
    return loaded.scenario.value_or(v1::Scenario());
  }
};

using testing::Drug;
using testing::Fluid;

TEST(ConditionItemTest, MetWhenTheLastPartHoldsCitingThatAction) {
  ConditionRun run;
  run.Act(30, Drug("ceftriaxone", 1200));  // 60 mg/kg, under the 2 g cap
  run.Act(60, Fluid(400));
  EXPECT_EQ(run.Grade("Fluid and antibiotic").grade(), v1::GRADE_PENDING);
  const v1::Event second = run.Act(200, Fluid(400));
  const v1::ItemGrade grade = run.Grade("Fluid and antibiotic");
  EXPECT_EQ(grade.grade(), v1::GRADE_MET);
  EXPECT_DOUBLE_EQ(grade.decided_s(), 200);
  ASSERT_EQ(grade.evidence_size(), 1);
  EXPECT_EQ(grade.evidence(0).event_id(), second.id());
  EXPECT_EQ(grade.reason(),
            "fluid in total at least 40 mL/kg (40 mL/kg) and ceftriaxone at 00:30, 200 s after "
            "scenario start (deadline 600 s)");
}

TEST(ConditionItemTest, ADoseAboveTheAbsoluteCapDoesNotCount) {
  ConditionRun run;
  run.Act(10, Fluid(800));
  run.Act(20, Drug("ceftriaxone", 2400));  // 120 mg/kg and 2.4 g: over the 2 g cap
  run.RunTo(100);
  EXPECT_EQ(run.Grade("Fluid and antibiotic").grade(), v1::GRADE_PENDING);
  run.Act(110, Drug("ceftriaxone", 2000));
  EXPECT_EQ(run.Grade("Fluid and antibiotic").grade(), v1::GRADE_MET);
}

TEST(ConditionItemTest, OmittedAtTheDeadlineSayingWhatWasMissingThenMetLate) {
  ConditionRun run;
  run.Act(10, Fluid(400));
  run.RunTo(599.9);
  EXPECT_EQ(run.Grade("Fluid and antibiotic").grade(), v1::GRADE_PENDING);
  run.RunTo(600.1);
  v1::ItemGrade grade = run.Grade("Fluid and antibiotic");
  EXPECT_EQ(grade.grade(), v1::GRADE_OMITTED);
  EXPECT_EQ(grade.reason(),
            "not within 600 s of scenario start: fluid in total at least 40 mL/kg (20 mL/kg) and "
            "no ceftriaxone");
  run.Act(700, Fluid(400));
  run.Act(710, Drug("ceftriaxone", 1000));
  grade = run.Grade("Fluid and antibiotic");
  EXPECT_EQ(grade.grade(), v1::GRADE_MET_LATE);
  EXPECT_DOUBLE_EQ(grade.decided_s(), 710);
}

TEST(ConditionItemTest, EitherAlternativeOfAnyOfMeetsTheItem) {
  ConditionRun adenosine;
  adenosine.Act(40, Drug("adenosine", 2));
  EXPECT_EQ(adenosine.Grade("Rate control").grade(), v1::GRADE_MET);
  EXPECT_EQ(adenosine.Grade("Rate control").reason(),
            "adenosine at 00:40, 40 s after scenario start (deadline 120 s)");

  ConditionRun cardioversion;
  v1::LearnerAction shock;
  shock.set_kind(v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION);
  shock.set_energy_j(10);
  cardioversion.Act(90, shock);
  EXPECT_EQ(cardioversion.Grade("Rate control").grade(), v1::GRADE_MET);
}

}  // namespace
}  // namespace pedisim::session

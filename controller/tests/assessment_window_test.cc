// Where a time window starts: a critical action measured from an action
// (Moment.action_taken) opens its window with that action, and the grade
// says what the deadline was measured from.
#include <gtest/gtest.h>

#include <string>

#include "controller/tests/assessed_run.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::session {
namespace {

constexpr char kScenario[] = R"(
id: window
title: Windows
noise_scale: 0
patient: {age_years: 5, weight_kg: 20}
initial_state: svt
states:
  - name: svt
    vitals: {rhythm: svt, heart_rate_bpm: 240}
    transitions: [{to_state: done, instructor_choice: true}]
  - name: done
    terminal: true
critical_actions:
  - name: Adenosine after recognition
    action: {kind: drug, drug: adenosine}
    measured_from: {action_taken: {kind: pulse_check}}
    deadline_s: 60
    competencies: [patient_care]
)";

v1::Scenario Load() {
  scenario::LoadResult loaded = scenario::ParseScenario("window.yaml", kScenario);
  EXPECT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  return loaded.scenario.value_or(v1::Scenario());
}

TEST(WindowStartTest, NoDeadlineRunsBeforeTheActionThatStartsIt) {
  testing::AssessedRun run(Load());
  run.RunTo(300);
  const v1::ItemGrade grade = run.Grade("Adenosine after recognition");
  EXPECT_EQ(grade.grade(), v1::GRADE_PENDING);
  EXPECT_FALSE(grade.has_deadline_s());
}

TEST(WindowStartTest, TheDeadlineRunsFromTheActionAndTheReasonSaysSo) {
  testing::AssessedRun run(Load());
  run.Act(20, testing::ActionOf(v1::ACTION_KIND_PULSE_CHECK));
  run.Act(30, testing::ActionOf(v1::ACTION_KIND_PULSE_CHECK));  // the first one counts
  EXPECT_DOUBLE_EQ(run.Grade("Adenosine after recognition").window_opened_s(), 20);
  EXPECT_DOUBLE_EQ(run.Grade("Adenosine after recognition").deadline_s(), 80);
  run.RunTo(81);
  const v1::ItemGrade grade = run.Grade("Adenosine after recognition");
  EXPECT_EQ(grade.grade(), v1::GRADE_OMITTED);
  EXPECT_EQ(grade.reason(), "not done within 60 s of the first pulse check at 20.0 s");
}

}  // namespace
}  // namespace pedisim::session

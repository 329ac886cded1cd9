// A harmful shock is reported once, where it belongs: by the commission rule
// that judged it, never again as an off-target shock in the CPR metrics.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "controller/tests/assessed_run.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/guideline_library.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::session {
namespace {

constexpr char kGuidelines[] = R"(
name: shock-set
cpr_targets:
  - age_band: child
    age_years: {min: 1, max: 12}
    first_shock_j_per_kg: {min: 1.9, max: 2.1}
    later_shock_j_per_kg: {min: 3.8, max: 10.5}
)";

// 20 kg: 40 J is 2 J/kg, 80 J is 4 J/kg, 240 J is 12 J/kg. `svt` has a
// pulse; `vf` has none.
constexpr char kScenario[] = R"(
id: harmful-shock
title: Harmful shocks
guideline_set: shock-set
noise_scale: 0
patient: {age_years: 5, weight_kg: 20}
initial_state: svt
states:
  - name: svt
    vitals: {rhythm: svt, heart_rate_bpm: 260}
    transitions: [{to_state: vf, instructor_choice: true}]
  - name: vf
    vitals: {rhythm: ventricular_fibrillation, heart_rate_bpm: 0}
    transitions: [{to_state: done, instructor_choice: true}]
  - name: done
    terminal: true
commission_rules:
  - name: No unsynchronized shock with a pulse
    action: {kind: defibrillation}
    states: [svt]
  - name: No shock above 10 J/kg
    action: {kind: defibrillation, energy_j_per_kg: {min: 10.5}}
)";

v1::Scenario LoadScenario() {
  scenario::GuidelineLibrary library;
  scenario::GuidelineSetResult set = scenario::ParseGuidelineSet("shock-set.yaml", kGuidelines);
  EXPECT_TRUE(set.ok()) << set.FormatDiagnostics();
  if (set.set) library.Add(*set.set);
  scenario::LoadResult loaded = scenario::ParseScenario("harmful.yaml", kScenario, {}, &library);
  EXPECT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  return loaded.scenario.value_or(v1::Scenario());
}

v1::LearnerAction Shock(double energy_j) {
  v1::LearnerAction action = testing::ActionOf(v1::ACTION_KIND_DEFIBRILLATION);
  action.set_energy_j(energy_j);
  return action;
}

bool OffTarget(const v1::CprQuality& quality, const std::string& metric) {
  return std::find(quality.off_target().begin(), quality.off_target().end(), metric) !=
         quality.off_target().end();
}

TEST(HarmfulShockTest, AShockWithAPulseIsTheCommissionRulesNotACprShock) {
  testing::AssessedRun run(LoadScenario());
  run.Act(5, Shock(40));  // unsynchronized, in SVT with a pulse
  run.GoTo(10, "vf");
  run.Act(20, Shock(40));  // the arrest's first shock, 2 J/kg
  run.End(30);
  EXPECT_EQ(run.Grade("No unsynchronized shock with a pulse").grade(), v1::GRADE_WRONG);
  const v1::CprQuality quality = run.Assessment().cpr();
  ASSERT_EQ(quality.shock_energy_j_per_kg_size(), 1);
  EXPECT_DOUBLE_EQ(quality.shock_energy_j_per_kg(0), 2);
  // Measured from the loss of pulse at 10 s, not from the shock in SVT.
  EXPECT_NEAR(quality.time_to_first_shock_s(), 10, 0.2);
  EXPECT_FALSE(OffTarget(quality, "shock_energy_j_per_kg"))
      << "2 J/kg is the first arrest shock's energy; the SVT shock is not counted again";
}

TEST(HarmfulShockTest, AShockAboveTheMaximumIsReportedOnceByItsRule) {
  testing::AssessedRun run(LoadScenario());
  run.GoTo(1, "vf");
  run.Act(10, Shock(40));   // 2 J/kg
  run.Act(20, Shock(240));  // 12 J/kg: the commission rule's
  run.Act(30, Shock(80));   // 4 J/kg: the third shock, a later one
  run.End(40);
  const v1::ItemGrade rule = run.Grade("No shock above 10 J/kg");
  EXPECT_EQ(rule.grade(), v1::GRADE_WRONG);
  const v1::CprQuality quality = run.Assessment().cpr();
  ASSERT_EQ(quality.shock_energy_j_per_kg_size(), 2);
  EXPECT_DOUBLE_EQ(quality.shock_energy_j_per_kg(0), 2);
  EXPECT_DOUBLE_EQ(quality.shock_energy_j_per_kg(1), 4);
  EXPECT_FALSE(OffTarget(quality, "shock_energy_j_per_kg"));
}

TEST(HarmfulShockTest, AnUnderdosedShockNoRuleJudgesIsStillOffTarget) {
  testing::AssessedRun run(LoadScenario());
  run.GoTo(1, "vf");
  run.Act(10, Shock(16));  // 0.8 J/kg: no commission rule, the CPR metrics' to report
  run.End(20);
  const v1::CprQuality quality = run.Assessment().cpr();
  ASSERT_EQ(quality.shock_energy_j_per_kg_size(), 1);
  EXPECT_DOUBLE_EQ(quality.shock_energy_j_per_kg(0), 0.8);
  EXPECT_TRUE(OffTarget(quality, "shock_energy_j_per_kg"));
}

}  // namespace
}  // namespace pedisim::session

// Quantities and compound conditions (conditions.proto) as the loader reads
// and checks them: accepted in YAML and JSON alike, mistakes reported at
// file:line:col, and the lint about unused quantities and conditions that
// can never hold.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/scenario/condition_text.h"
#include "core/scenario/scenario_loader.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::FixturePath;
using ::pedisim::scenario::testing::Lines;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A scenario whose state `a` leaves for the terminal `b` on `when_lines`
// (indented for the transition), with `quantity_lines` under quantities.
std::string WithCondition(const std::string& quantity_lines, const std::string& when_lines) {
  return "id: c\n"
         "title: C\n"
         "patient: {age_years: 8}\n"
         "quantities:\n" +
         quantity_lines +
         "initial_state: a\n"
         "states:\n"
         "  - name: a\n"
         "    transitions:\n"
         "      - to_state: b\n"
         "        when:\n" +
         when_lines +
         "  - name: b\n"
         "    terminal: true\n";
}

const char kFluidQuantities[] =
    "  - {name: fluid-total, kind: fluid_ml_per_kg}\n"
    "  - {name: fluid-early, kind: fluid_ml_per_kg, window: {within_s: 600}}\n";

TEST(ScenarioConditionsTest, ReadsQuantitiesAndCompoundConditions) {
  const LoadResult result = ParseScenario(
      "s.yaml", WithCondition(kFluidQuantities,
                              "          all_of:\n"
                              "            - quantity: {quantity: fluid-total, at_least: 40}\n"
                              "            - any_of:\n"
                              "                - action: {kind: drug, drug: ceftriaxone}\n"
                              "                - action: {kind: drug, drug: cefotaxime}\n"
                              "            - none_of: [{action: {kind: intubation}}]\n"
                              "            - quantity: {quantity: fluid-early, below: 20}\n"));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics), IsEmpty());
  const v1::Condition& when = result.scenario->states(0).transitions(0).when();
  ASSERT_EQ(when.all_of_size(), 4);
  EXPECT_DOUBLE_EQ(when.all_of(0).quantity().at_least(), 40);
  EXPECT_EQ(when.all_of(1).any_of(1).action().drug(), "cefotaxime");
  EXPECT_EQ(when.all_of(2).none_of(0).action().kind(), v1::ACTION_KIND_INTUBATION);
  EXPECT_DOUBLE_EQ(result.scenario->quantities(1).window().within_s(), 600);
  EXPECT_EQ(result.scenario->quantities(0).kind(), v1::QUANTITY_KIND_FLUID_ML_PER_KG);
  EXPECT_EQ(DescribeCondition(when),
            "fluid-total >= 40 and (ceftriaxone given or cefotaxime given) and not intubation "
            "given and fluid-early < 20");
}

TEST(ScenarioConditionsTest, JsonReadsTheSameConditions) {
  const std::string json = R"({
  "id": "c", "title": "C", "patient": {"age_years": 8},
  "quantities": [{"name": "fluid-total", "kind": "fluid_ml_per_kg"}],
  "initial_state": "a",
  "states": [
    {"name": "a", "transitions": [{"to_state": "b", "when": {"all_of": [
      {"quantity": {"quantity": "fluid-total", "at_least": 40}},
      {"action": {"kind": "drug", "drug": "ceftriaxone", "dose_mg": {"max": 2000}}}]}}]},
    {"name": "b", "terminal": true}]
})";
  const LoadResult result = ParseScenario("s.json", json);
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  const v1::Condition& when = result.scenario->states(0).transitions(0).when();
  ASSERT_EQ(when.all_of_size(), 2);
  EXPECT_DOUBLE_EQ(when.all_of(1).action().dose_mg().max(), 2000);
}

TEST(ScenarioConditionsTest, MistakesInConditionsAreReportedAtTheirPosition) {
  const LoadResult result = ParseScenario(
      "s.yaml",
      WithCondition("  - {name: fluid-total, kind: fluid_ml_per_kg}\n"
                    "  - {name: ceftriaxone-total, kind: drug_mg_per_kg}\n",
                    "          all_of:\n"
                    "            - quantity: {quantity: fluid-totl, at_least: 40}\n"
                    "            - {after_scenario_time_s: 60, after_time_in_state_s: 10}\n"
                    "            - quantity: {quantity: fluid-total}\n"
                    "            - action: {kind: drug, within_s: 30}\n"
                    "            - {}\n"));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre(
          "s.yaml:6:5: error: a drug quantity names its drug",
          "s.yaml:14:36: error: 'fluid-totl' is not a quantity of this scenario; did you mean "
          "'fluid-total'?",
          "s.yaml:15:15: error: a condition sets exactly one of its members, got "
          "after_scenario_time_s, after_time_in_state_s; combine them under all_of or any_of",
          "s.yaml:16:15: error: quantity condition needs a threshold: set at_least, at_most or "
          "below",
          "s.yaml:17:46: error: within_s is not used in a condition's action; count the actions "
          "with a quantity (kind matching_actions) whose window says within what",
          "s.yaml:18:15: error: condition is empty; set one of all_of, any_of, none_of, "
          "quantity, action, after_scenario_time_s or after_time_in_state_s"));
}

TEST(ScenarioConditionsTest, MistakesInQuantitiesAreReportedAtTheirPosition) {
  const LoadResult result = ParseScenario(
      "s.yaml",
      WithCondition("  - {name: fluid-total, kind: fluid_ml_per_kg}\n"
                    "  - {name: fluid-total, kind: shocks, window: {from_state: arest}}\n",
                    "          quantity: {quantity: fluid-total, at_least: 40}\n"));
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:6:12: error: duplicate quantity 'fluid-total'; first defined at "
                          "line 5",
                          "s.yaml:6:60: error: from_state 'arest' is not a state of this "
                          "scenario; states are: a, b"));
}

TEST(ScenarioConditionsTest, WhenIsOneTriggerAmongTheOthers) {
  const LoadResult result = ParseScenario(
      "s.yaml", WithCondition("  - {name: fluid-total, kind: fluid_ml_per_kg}\n",
                              "          quantity: {quantity: fluid-total, at_least: 40}\n"
                              "        after_time_in_state_s: 60\n"));
  EXPECT_FALSE(result.ok());
  // At the second trigger, naming the first.
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:13:9: error: fields 'when' (line 11) and "
                          "'after_time_in_state_s' are both members of oneof 'trigger' in "
                          "Transition; set only one"));
}

TEST(ScenarioConditionsTest, CriticalActionTakesAnActionOrACondition) {
  std::string text =
      WithCondition(kFluidQuantities, "          quantity: {quantity: fluid-early, below: 20}\n");
  text +=
      "critical_actions:\n"
      "  - name: fluid and antibiotic\n"
      "    competencies: [patient_care]\n"
      "    deadline_s: 3600\n"
      "    condition:\n"
      "      all_of:\n"
      "        - quantity: {quantity: fluid-total, at_least: 40}\n"
      "        - action: {kind: drug, drug: ceftriaxone}\n"
      "  - name: both\n"
      "    competencies: [patient_care]\n"
      "    deadline_s: 60\n"
      "    action: {kind: oxygen}\n"
      "    condition: {action: {kind: oxygen}}\n";
  const LoadResult result = ParseScenario("s.yaml", text);
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:28:5: error: set either action or condition, not both"));
}

TEST(ScenarioConditionsTest, LintFindsUnusedQuantitiesAndConditionsThatNeverHold) {
  const LoadResult result = ParseScenario(
      "s.yaml", WithCondition("  - {name: fluid-total, kind: fluid_ml_per_kg}\n"
                              "  - {name: shocks, kind: shocks}\n",
                              "          all_of:\n"
                              "            - quantity: {quantity: fluid-total, at_least: 40}\n"
                              "            - quantity: {quantity: fluid-total, below: 20}\n"));
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:6:12: warning: quantity 'shocks' is defined but no condition "
                          "uses it",
                          "s.yaml:12:9: warning: this condition can never hold (contradictory "
                          "thresholds on one quantity, or NOT of something always true)"));
}

TEST(ScenarioConditionsTest, LintFindsNotOfSomethingAlwaysTrue) {
  const LoadResult result = ParseScenario(
      "s.yaml", WithCondition("  - {name: fluid-total, kind: fluid_ml_per_kg}\n",
                              "          any_of:\n"
                              "            - none_of: [{quantity: {quantity: fluid-total, "
                              "at_least: 0}}]\n"
                              "            - none_of: [{after_scenario_time_s: 0}]\n"));
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:11:9: warning: this condition can never hold (contradictory "
                          "thresholds on one quantity, or NOT of something always true)"));
}

// The library's septic-shock case counts fluid with quantities and says
// "at least 40 mL/kg and an antibiotic" and "less than 20 mL/kg in the first
// 10 minutes" as conditions: the states that existed only to count boluses
// (access-obtained, fluid-responsive) are gone.
TEST(ScenarioConditionsTest, SepticShockCaseHasNoBookkeepingState) {
  const LoadResult result =
      LoadScenarioFile(FixturePath("../../../scenarios/school-age-septic-shock/scenario.yaml"));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics), IsEmpty()) << "lints clean";
  const v1::Scenario& scenario = *result.scenario;
  std::vector<std::string> states;
  for (const v1::State& state : scenario.states()) states.push_back(state.name());
  EXPECT_THAT(states, ElementsAre("compensated-shock", "decompensated-shock", "improving",
                                  "stabilized", "peri-arrest"));

  const v1::State& compensated = scenario.states(0);
  ASSERT_GE(compensated.transitions_size(), 2);
  const v1::Transition& resuscitated = compensated.transitions(0);
  EXPECT_EQ(resuscitated.to_state(), "improving");
  EXPECT_EQ(DescribeCondition(resuscitated.when()), "fluid-total >= 40 and ceftriaxone given");
  const v1::Transition& under_filled = compensated.transitions(1);
  EXPECT_EQ(under_filled.to_state(), "decompensated-shock");
  EXPECT_EQ(DescribeCondition(under_filled.when()),
            "scenario time 600 s and fluid-first-10-min < 20");
  ASSERT_EQ(scenario.quantities_size(), 2);
  EXPECT_EQ(scenario.quantities(1).name(), "fluid-first-10-min");
  EXPECT_DOUBLE_EQ(scenario.quantities(1).window().within_s(), 600);
  EXPECT_EQ(scenario.quantities(1).kind(), v1::QUANTITY_KIND_FLUID_ML_PER_KG);
}

}  // namespace
}  // namespace pedisim::scenario

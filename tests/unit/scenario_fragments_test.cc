// Fragments: states and handlers a scenario includes from other files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/scenario/scenario_loader.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::FixturePath;
using ::pedisim::scenario::testing::Lines;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Includes "../shared/f.yaml" from cases/s.yaml, so diagnostics inside the
// fragment name it shared/f.yaml.
std::string IncludingScenario(const std::string& extra_states = "") {
  return "id: includes\n"
         "title: Includes a fragment\n"
         "patient: {age_years: 4}\n"
         "include: [../shared/f.yaml]\n"
         "initial_state: a\n"
         "states:\n"
         "  - name: a\n"
         "    transitions: [{to_state: b, after_time_in_state_s: 5}]\n" +
         extra_states;
}

LoadResult ParseWithFragment(const std::string& fragment, const std::string& extra_states = "") {
  return ParseScenario("cases/s.yaml", IncludingScenario(extra_states),
                       {{"../shared/f.yaml", fragment}});
}

TEST(ScenarioFragmentsTest, AppendsStatesAndHandlersFromDisk) {
  const LoadResult result = LoadScenarioFile(FixturePath("valid/with-fragments.yaml"));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(result.diagnostics, IsEmpty()) << result.FormatDiagnostics();
  const v1::Scenario& scenario = *result.scenario;
  ASSERT_EQ(scenario.states_size(), 3);
  EXPECT_EQ(scenario.states(0).name(), "unwell");
  EXPECT_EQ(scenario.states(1).name(), "arrest");
  EXPECT_EQ(scenario.states(2).name(), "rosc");
  EXPECT_DOUBLE_EQ(scenario.states(1).transitions(0).on_action().dose_mg_per_kg().min(), 0.008);
  // Handlers in include order: arrest.yaml's, then oxygen.yaml's.
  ASSERT_EQ(scenario.handlers_size(), 2);
  EXPECT_EQ(scenario.handlers(0).name(), "compressions");
  EXPECT_EQ(scenario.handlers(1).name(), "oxygen");
}

TEST(ScenarioFragmentsTest, MissingFileOnDiskIsAnErrorAtTheIncludeEntry) {
  const std::filesystem::path path = FixturePath("broken/missing-fragment.yaml");
  const LoadResult result = LoadScenarioFile(path);
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre(path.string() +
                          ":4:11: error: included file 'fragments/nowhere.yaml': cannot read "
                          "file: No such file or directory"));
  EXPECT_EQ(result.diagnostics[0].field_path(), "include[0]");
}

TEST(ScenarioFragmentsTest, FragmentNotSentWithTheScenarioIsAnErrorAtTheIncludeEntry) {
  const LoadResult result = ParseScenario("cases/s.yaml", IncludingScenario());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("cases/s.yaml:4:11: error: included file '../shared/f.yaml' is "
                          "missing: it is not among the included files given with the "
                          "scenario"));
}

TEST(ScenarioFragmentsTest, ParseErrorInsideAFragmentNamesTheFragment) {
  const LoadResult result = ParseWithFragment(
      "states:\n"
      "  - name: b\n"
      "    vitals: {heart_rate: 90}\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("shared/f.yaml:3:14: error: unknown field 'heart_rate' in Vitals; did "
                          "you mean 'heart_rate_bpm'?"));
  EXPECT_EQ(result.diagnostics[0].field_path(), "states[0].vitals.heart_rate");
}

TEST(ScenarioFragmentsTest, CheckErrorInsideAFragmentNamesTheFragmentAndItsOwnPath) {
  const LoadResult result = ParseWithFragment(
      "states:\n"
      "  - name: b\n"
      "    terminal: true\n"
      "  - name: c\n"
      "    transitions: [{to_state: d, instructor_choice: true}]\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("shared/f.yaml:5:30: error: to_state 'd' is not a state of this "
                          "scenario; states are: a, b, c"));
  EXPECT_EQ(result.diagnostics[0].field_path(), "states[1].transitions[0].to_state");
}

TEST(ScenarioFragmentsTest, StateDefinedInTheScenarioAndAFragmentIsADuplicate) {
  const LoadResult result = ParseWithFragment(
      "states:\n"
      "  - name: b\n"
      "    terminal: true\n"
      "  - name: a\n"
      "    terminal: true\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("shared/f.yaml:4:11: error: duplicate state name 'a'; first defined "
                          "at cases/s.yaml:7"));
}

TEST(ScenarioFragmentsTest, ARuleSetBringsTheQuantitiesItsConditionsJudge) {
  const std::string rule_set =
      "states:\n"
      "  - name: b\n"
      "    terminal: true\n"
      "quantities:\n"
      "  - {name: fluid-total, kind: fluid_ml_per_kg}\n"
      "critical_actions:\n"
      "  - name: 20 mL/kg of fluid\n"
      "    deadline_s: 600\n"
      "    competencies: [patient_care]\n"
      "    condition: {quantity: {quantity: fluid-total, at_least: 20}}\n";
  const LoadResult loaded = ParseWithFragment(rule_set);
  ASSERT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  EXPECT_THAT(loaded.diagnostics, IsEmpty()) << loaded.FormatDiagnostics();
  ASSERT_EQ(loaded.scenario->quantities_size(), 1);
  EXPECT_EQ(loaded.scenario->quantities(0).name(), "fluid-total");

  // The same name in the scenario and its rule set is an error at the
  // fragment's line.
  const LoadResult duplicate = ParseScenario(
      "cases/s.yaml",
      IncludingScenario() + "quantities:\n  - {name: fluid-total, kind: fluid_ml_per_kg}\n",
      {{"../shared/f.yaml", rule_set}});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_THAT(Lines(duplicate.diagnostics),
              ::testing::Contains(::testing::StartsWith(
                  "shared/f.yaml:5:12: error: duplicate quantity 'fluid-total'")))
      << duplicate.FormatDiagnostics();
}

TEST(ScenarioFragmentsTest, ScenarioDiagnosticsComeBeforeTheFragments) {
  const LoadResult result = ParseWithFragment(
      "states:\n"
      "  - name: b\n"
      "    transitions: [{to_state: a, delay_s: -1, instructor_choice: true}]\n",
      "    trend_duration_s: -2\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("cases/s.yaml:6:1: warning: no state is terminal; the scenario can "
                          "only end by an instructor's stop",
                          "cases/s.yaml:9:23: error: trend_duration_s must not be negative, got -2",
                          "shared/f.yaml:3:42: error: delay_s must not be negative, got -1"));
}

TEST(ScenarioFragmentsTest, FragmentsCannotIncludeFurtherFragments) {
  const LoadResult result = ParseWithFragment(
      "include: [other.yaml]\n"
      "states: [{name: b, terminal: true}]\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("shared/f.yaml:1:1: error: unknown field 'include' in "
                          "ScenarioFragment; expected one of: states, handlers, critical_actions, "
                          "order_constraints, "
                          "commission_rules, instructor_items, quantities"));
}

TEST(ScenarioFragmentsTest, EmptyAndRepeatedIncludeEntriesAreErrors) {
  const LoadResult result = ParseScenario("s.yaml",
                                          "id: twice\ntitle: t\npatient: {age_years: 4}\n"
                                          "include: [f.yaml, '', f.yaml]\n"
                                          "initial_state: b\nstates: []\n",
                                          {{"f.yaml", "states: [{name: b, terminal: true}]\n"}});
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:4:19: error: include entry is empty; name a fragment file",
                          "s.yaml:4:23: error: fragment 'f.yaml' is included twice"));
}

}  // namespace
}  // namespace pedisim::scenario

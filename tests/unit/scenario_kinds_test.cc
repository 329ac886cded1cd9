// Monitoring, diagnostics and procedures in scenario files
// (diagnostic_checks.cc, transition_checks.cc): the new trigger fields and
// diagnostic results in YAML and JSON, their errors at file:line:col, and
// the lint about a test ordered with no result or a result nothing orders.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/scenario/scenario_loader.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::Lines;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Lines 1-7 of a scenario with states a (initial) and b; what follows
// starts on line 8.
LoadResult Parse(const std::string& rest) {
  return ParseScenario("s.yaml",
                       "id: kinds\n"
                       "title: Kinds\n"
                       "patient: {age_years: 6}\n"
                       "initial_state: a\n"
                       "states:\n"
                       "  - {name: a, transitions: [{to_state: b, instructor_choice: true}]}\n"
                       "  - {name: b, terminal: true}\n" +
                           rest);
}

TEST(ScenarioKindsTest, SensorTestAndConfirmationLoadFromYamlAndJson) {
  const LoadResult yaml = Parse(
      "critical_actions:\n"
      "  - {name: capno, deadline_s: 60, competencies: [patient_care], action: {kind: "
      "sensor_attached, sensor: capnography}}\n"
      "  - {name: gas, deadline_s: 60, competencies: [patient_care], action: {kind: "
      "diagnostic_ordered, diagnostic: blood_gas}}\n"
      "  - {name: tube, deadline_s: 60, competencies: [patient_care], action: {kind: "
      "intubation_confirmed, confirmation: etco2}}\n"
      "diagnostic_results:\n"
      "  - diagnostic: blood_gas\n"
      "    states: [a]\n"
      "    text: respiratory acidosis\n"
      "    values: [{name: pH, value: 7.28}, {name: pCO2, value: 7.1, unit: kPa}]\n");
  ASSERT_TRUE(yaml.ok()) << yaml.FormatDiagnostics();
  EXPECT_THAT(Lines(yaml.diagnostics), IsEmpty());
  const v1::Scenario& scenario = *yaml.scenario;
  EXPECT_EQ(scenario.critical_actions(0).action().sensor(), v1::MONITOR_SENSOR_CAPNOGRAPHY);
  EXPECT_EQ(scenario.critical_actions(1).action().diagnostic(), "blood_gas");
  EXPECT_EQ(scenario.critical_actions(2).action().confirmation(), v1::TUBE_CONFIRMATION_ETCO2);
  ASSERT_EQ(scenario.diagnostic_results_size(), 1);
  EXPECT_EQ(scenario.diagnostic_results(0).values(1).unit(), "kPa");

  const LoadResult json = ParseScenario(
      "s.json",
      R"({"id": "kinds", "title": "Kinds", "patient": {"age_years": 6}, "initial_state": "a",
          "states": [{"name": "a", "terminal": true}],
          "critical_actions": [{"name": "capno", "deadline_s": 60, "competencies": ["patient_care"],
                                "action": {"kind": "ACTION_KIND_SENSOR_ATTACHED",
                                           "sensor": "MONITOR_SENSOR_CAPNOGRAPHY"}}],
          "diagnostic_results": [{"diagnostic": "lactate", "values": [{"name": "lactate",
                                  "value": 1.4, "unit": "mmol/L"}]}]})");
  ASSERT_TRUE(json.ok()) << json.FormatDiagnostics();
  EXPECT_EQ(json.scenario->critical_actions(0).action().sensor(), v1::MONITOR_SENSOR_CAPNOGRAPHY);
  EXPECT_DOUBLE_EQ(json.scenario->diagnostic_results(0).values(0).value(), 1.4);
}

TEST(ScenarioKindsTest, ResultsThatShowNothingOrCannotBeShownAreErrors) {
  const LoadResult result = Parse(
      "diagnostic_results:\n"
      "  - {diagnostic: blood_gas, states: [c]}\n"
      "  - {diagnostic: blood_gas, text: one}\n"
      "  - {diagnostic: blood_gas, text: two}\n"
      "  - {diagnostic: lactate, states: [a], text: x}\n"
      "  - {diagnostic: lactate, states: [a], values: [{value: 2}]}\n");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:9:5: error: diagnostic result for 'blood_gas' shows nothing; set text, "
                  "values or both",
                  "s.yaml:9:38: error: state 'c' is not a state of this scenario; states are: a, b",
                  "s.yaml:11:5: error: a second result for 'blood_gas' in every state would never "
                  "be shown; name its states",
                  "s.yaml:13:36: error: a result for 'lactate' in state 'a' is already defined; "
                  "this one would never be shown",
                  "s.yaml:13:49: error: value has no name; say what was measured (pH, pCO2, ...)"));
}

TEST(ScenarioKindsTest, AConditionOnlyAnotherKindCarriesIsAWarning) {
  const LoadResult result = Parse(
      "critical_actions:\n"
      "  - {name: o2, deadline_s: 60, competencies: [patient_care], action: {kind: oxygen, sensor: "
      "capnography}}\n"
      "  - {name: iv, deadline_s: 60, competencies: [patient_care], action: {kind: iv_access, "
      "diagnostic: blood_gas}}\n"
      "  - {name: tube, deadline_s: 60, competencies: [patient_care], action: {kind: intubation, "
      "confirmation: etco2}}\n"
      "diagnostic_results:\n"
      "  - {diagnostic: blood_gas, text: ok}\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:9:93: warning: sensor is meant for kinds sensor_attached and "
                  "sensor_removed; an action of kind oxygen names no sensor, so this critical "
                  "action may never be met",
                  "s.yaml:10:100: warning: diagnostic is meant for kind diagnostic_ordered; "
                  "an action of kind iv_access orders no test, so this critical action "
                  "may never be met",
                  "s.yaml:11:105: warning: confirmation is meant for kind "
                  "intubation_confirmed; an action of kind intubation confirms no tube, so "
                  "this critical action may never be met"));
}

TEST(ScenarioKindsTest, ATestOrderedWithoutAResultAndAResultNothingOrdersAreLinted) {
  const LoadResult result = Parse(
      "critical_actions:\n"
      "  - {name: gas, deadline_s: 60, competencies: [patient_care], action: {kind: "
      "diagnostic_ordered, diagnostic: blood_gass}}\n"
      "  - {name: any, deadline_s: 60, competencies: [patient_care], action: {kind: "
      "diagnostic_ordered}}\n"
      "diagnostic_results:\n"
      "  - {diagnostic: blood_gas, text: acidosis}\n"
      "  - {diagnostic: troponin, text: normal}\n"
      "  - {diagnostic: glucose, text: 5.1 mmol/L}\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  // blood_gas and glucose are the library's tests, orderable from the menu
  // without a rule; troponin is ordered by nothing.
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:9:110: warning: this rule waits for 'blood_gass' to be ordered, but the "
                  "scenario defines no result for it, so the instructor has none to release; did "
                  "you mean 'blood_gas'?",
                  "s.yaml:13:18: warning: no rule waits for 'troponin' to be ordered and it is not "
                  "one of the library's tests (blood_culture, blood_gas, lactate, glucose, "
                  "chest_xray, ecg_12_lead), so only a hand-typed order can reach this result"));
}

TEST(ScenarioKindsTest, AnActionFileOrderingATestNamesIt) {
  const ActionScriptResult result = ParseActionScript("a.actions.yaml",
                                                      "actions:\n"
                                                      "  - at_s: 5\n"
                                                      "    action: {kind: diagnostic_ordered}\n"
                                                      "  - at_s: 6\n"
                                                      "    action: {kind: diagnostic_ordered, "
                                                      "diagnostic: blood_gas}\n");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("a.actions.yaml:3:5: error: a diagnostic_ordered action names its test: "
                          "set diagnostic (blood_gas, blood_culture, lactate, glucose, chest_xray, "
                          "ecg_12_lead, or a test the scenario defines)"));
}

}  // namespace
}  // namespace pedisim::scenario

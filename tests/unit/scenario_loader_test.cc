#include "core/scenario/scenario_loader.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "core/patient/patient_size.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::FixturePath;
using ::pedisim::scenario::testing::Lines;
using ::pedisim::scenario::testing::ReadFixture;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

LoadResult ParseFixture(const std::string& relative) {
  return ParseScenario(FixturePath(relative).filename().string(), ReadFixture(relative));
}

// A valid scenario to which each test adds one problem.
std::string MinimalScenario(const std::string& extra_state_lines = "",
                            const std::string& patient = "{age_years: 3}") {
  return "id: minimal\n"
         "title: Minimal\n"
         "patient: " +
         patient +
         "\n"
         "initial_state: a\n"
         "states:\n"
         "  - name: a\n"
         "    terminal: true\n" +
         extra_state_lines;
}

TEST(ScenarioLoaderTest, LoadsAValidScenarioWithoutDiagnostics) {
  const std::filesystem::path path = FixturePath("valid/infant-respiratory-failure.yaml");
  const LoadResult result = LoadScenarioFile(path);
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  // Abnormal vitals are the point of an emergency and draw no warning.
  EXPECT_THAT(Lines(result.diagnostics), ::testing::IsEmpty());
  ASSERT_TRUE(result.scenario.has_value());
  const v1::Scenario& scenario = *result.scenario;
  EXPECT_EQ(scenario.id(), "infant-respiratory-failure");
  EXPECT_EQ(scenario.patient().sex(), v1::SEX_FEMALE);
  ASSERT_EQ(scenario.states_size(), 3);
  EXPECT_EQ(scenario.states(0).vitals().rhythm(), v1::RHYTHM_SINUS_TACHYCARDIA);
  EXPECT_EQ(scenario.states(1).vitals().rhythm(), v1::RHYTHM_SINUS_BRADYCARDIA);
  EXPECT_EQ(scenario.states(0).transitions(0).on_action().kind(), v1::ACTION_KIND_OXYGEN);
  EXPECT_EQ(scenario.states(1).transitions(0).on_action().kind(),
            v1::ACTION_KIND_BAG_MASK_VENTILATION);
  EXPECT_DOUBLE_EQ(scenario.states(1).vital_trend_duration_s().at("spo2_pct"), 30);
  EXPECT_DOUBLE_EQ(scenario.states(0).transitions(1).after_time_in_state_s(), 120);
  EXPECT_FALSE(scenario.states(0).vitals().has_etco2_mmhg());
  EXPECT_EQ(result.source_map.ValueLocation("states[0].transitions[1].to_state"),
            (SourceLocation{31, 19}));
}

TEST(ScenarioLoaderTest, JsonFileIsEquivalentToTheYamlFile) {
  const LoadResult yaml = LoadScenarioFile(FixturePath("valid/infant-respiratory-failure.yaml"));
  const LoadResult json = LoadScenarioFile(FixturePath("valid/infant-respiratory-failure.json"));
  ASSERT_TRUE(yaml.ok()) << yaml.FormatDiagnostics();
  ASSERT_TRUE(json.ok()) << json.FormatDiagnostics();
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(*yaml.scenario, *json.scenario)) << differences;
}

TEST(ScenarioLoaderTest, SyntaxErrorIsReportedAtItsPosition) {
  const LoadResult result = ParseFixture("broken/syntax-error.yaml");
  EXPECT_FALSE(result.scenario.has_value());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("syntax-error.yaml:4:14: error: end of sequence flow not found"));
}

TEST(ScenarioLoaderTest, UnknownFieldNamesTheClosestField) {
  const std::filesystem::path path = FixturePath("broken/unknown-field.yaml");
  const LoadResult result = LoadScenarioFile(path);
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre(path.string() + ":9:7: error: unknown field 'heart_rate' in Vitals; did you mean "
                                  "'heart_rate_bpm'?"));
  EXPECT_EQ(result.diagnostics[0].field_path(), "states[0].vitals.heart_rate");
}

TEST(ScenarioLoaderTest, WrongTypeIsReportedAtTheValue) {
  EXPECT_THAT(Lines(ParseFixture("broken/wrong-type.yaml").diagnostics),
              ElementsAre("wrong-type.yaml:9:23: error: expected a number for heart_rate_bpm, "
                          "got 'fast'"));
}

TEST(ScenarioLoaderTest, BadEnumValuesAreAllReported) {
  EXPECT_THAT(Lines(ParseFixture("broken/bad-enum.yaml").diagnostics),
              ElementsAre("bad-enum.yaml:5:8: error: unknown Sex value 'girl' for sex; expected "
                          "one of: female, male",
                          "bad-enum.yaml:10:15: error: unknown Rhythm value 'sinus_tachy' for "
                          "rhythm; did you mean 'sinus_tachycardia'?"));
}

TEST(ScenarioLoaderTest, UnknownToStatePointsAtTheToStateLine) {
  const LoadResult result = ParseFixture("broken/bad-to-state.yaml");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("bad-to-state.yaml:9:19: error: to_state 'recovred' is not a state of "
                          "this scenario; did you mean 'recovered'?"));
  EXPECT_EQ(result.diagnostics[0].field_path(), "states[0].transitions[0].to_state");
}

TEST(ScenarioLoaderTest, DuplicateStateNamePointsAtTheSecondName) {
  EXPECT_THAT(Lines(ParseFixture("broken/duplicate-state.yaml").diagnostics),
              ElementsAre("duplicate-state.yaml:13:11: error: duplicate state name 'start'; first "
                          "defined at line 7"));
}

TEST(ScenarioLoaderTest, MissingTopLevelFieldsAreReportedAtTheTop) {
  const LoadResult result = ParseScenario("s.yaml", "description: only this\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:1:1: error: id is required (lower-case words joined by '-', "
                          "e.g. 'infant-sepsis')",
                          "s.yaml:1:1: error: title is required",
                          "s.yaml:1:1: error: patient is required, with at least an age",
                          "s.yaml:1:1: error: scenario has no states; at least one is required"));
}

TEST(ScenarioLoaderTest, ChecksIdPatientAndInitialState) {
  const LoadResult result = ParseScenario("s.yaml",
                                          "id: Infant Sepsis\n"
                                          "title: t\n"
                                          "patient:\n"
                                          "  name: no age\n"
                                          "  weight_kg: 400\n"
                                          "initial_state: b\n"
                                          "states: [{name: a, terminal: true}]\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:1:5: error: id 'Infant Sepsis' must be lower-case letters, "
                          "digits and '-', starting with a letter or digit",
                          "s.yaml:3:1: error: patient has no age; set one of age_days, age_months "
                          "or age_years",
                          "s.yaml:5:14: error: weight_kg 400 is not a plausible weight (0.3 to 150 "
                          "kg)",
                          "s.yaml:6:16: error: initial_state 'b' is not a state of this scenario; "
                          "states are: a"));
}

TEST(ScenarioLoaderTest, ChecksTransitionsAndTimes) {
  const LoadResult result =
      ParseScenario("s.yaml", MinimalScenario("  - name: b\n"
                                              "    trend_duration_s: -1\n"
                                              "    transitions:\n"
                                              "      - to_state: a\n"
                                              "      - label: no target\n"
                                              "        after_time_in_state_s: -3\n"
                                              "        delay_s: -2\n"
                                              "      - to_state: a\n"
                                              "        on_action: {drug: adrenaline}\n"));
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre(
          "s.yaml:9:23: error: trend_duration_s must not be negative, got -1",
          "s.yaml:11:9: error: transition has no trigger; set one of after_time_in_state_s, "
          "at_scenario_time_s, on_action, on_vital, when or instructor_choice",
          "s.yaml:12:9: error: transition has no to_state",
          "s.yaml:13:32: error: after_time_in_state_s must not be negative, got -3",
          "s.yaml:14:18: error: delay_s must not be negative, got -2",
          "s.yaml:16:9: error: on_action has no kind"));
}

TEST(ScenarioLoaderTest, RejectsLoopsOfTransitionsThatFireOnEntry) {
  const LoadResult result = ParseScenario(
      "s.yaml", MinimalScenario("  - name: b\n"
                                "    transitions: [{to_state: c, after_time_in_state_s: 0}]\n"
                                "  - name: c\n"
                                "    transitions: [{to_state: b, after_time_in_state_s: 0}]\n"
                                "  - name: d\n"
                                "    transitions: [{to_state: d, after_time_in_state_s: 0, "
                                "delay_s: 1}]\n"));
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:9:56: error: states b -> c -> b form a loop of transitions that "
                          "fire on entry, so simulated time never passes in them; give one a time "
                          "in state or a delay"));
}

TEST(ScenarioLoaderTest, ChecksVitalBoundsAndTrendKeys) {
  const LoadResult result = ParseScenario(
      "s.yaml", MinimalScenario("  - name: b\n"
                                "    vitals: {heart_rate_bpm: 400, spo2_pct: 101, temperature_c: "
                                "98.6, nibp_systolic_mmhg: 70, nibp_diastolic_mmhg: 80}\n"
                                "    vital_trend_duration_s: {spo2: 10, rhythm: 0}\n"
                                "    transitions: [{to_state: a, instructor_choice: true}]\n"));
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:9:30: error: heart_rate_bpm 400 is outside physiologic bounds (0 to "
                  "350)",
                  "s.yaml:9:45: error: spo2_pct 101 is outside physiologic bounds (0 to 100)",
                  "s.yaml:9:65: error: temperature_c 98.6 is outside physiologic bounds (25 to "
                  "45)",
                  "s.yaml:9:116: error: nibp_diastolic_mmhg 80 must be below nibp_systolic_mmhg "
                  "70",
                  "s.yaml:10:30: error: 'spo2' in vital_trend_duration_s is not a Vitals field; "
                  "did you mean 'spo2_pct'?"));
}

TEST(ScenarioLoaderTest, RelativeStatesTakeChangesUpToTheMonitorsSpan) {
  const std::string yaml = MinimalScenario(
      "  - name: b\n"
      "    vitals_relative: true\n"
      "    vitals: {heart_rate_bpm: -20, nibp_systolic_mmhg: -10, nibp_diastolic_mmhg: 5}\n"
      "    transitions: [{to_state: a, instructor_choice: true}]\n");
  const LoadResult loaded = ParseScenario("s.yaml", yaml);
  ASSERT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  EXPECT_TRUE(loaded.scenario->states(1).vitals_relative());
  EXPECT_EQ(loaded.scenario->states(1).vitals().heart_rate_bpm(), -20);

  const LoadResult json =
      ParseScenario("s.json",
                    R"({"id": "minimal", "title": "Minimal", "patient": {"age_years": 3},
          "initial_state": "a",
          "states": [{"name": "a", "terminal": true},
                     {"name": "b", "vitals_relative": true,
                      "vitals": {"heart_rate_bpm": -20, "nibp_systolic_mmhg": -10,
                                 "nibp_diastolic_mmhg": 5},
                      "transitions": [{"to_state": "a", "instructor_choice": true}]}]})");
  ASSERT_TRUE(json.ok()) << json.FormatDiagnostics();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*loaded.scenario, *json.scenario));

  const LoadResult bad_type = ParseScenario(
      "s.yaml", MinimalScenario("  - name: b\n"
                                "    vitals_relative: yes please\n"
                                "    transitions: [{to_state: a, instructor_choice: true}]\n"));
  EXPECT_THAT(Lines(bad_type.diagnostics), ElementsAre(HasSubstr("s.yaml:9:22: error:")));

  const LoadResult too_far = ParseScenario(
      "s.yaml", MinimalScenario("  - name: b\n"
                                "    vitals_relative: true\n"
                                "    vitals: {heart_rate_bpm: -400}\n"
                                "    transitions: [{to_state: a, instructor_choice: true}]\n"));
  EXPECT_THAT(Lines(too_far.diagnostics),
              ElementsAre("s.yaml:10:30: error: change of heart_rate_bpm -400 is more than the "
                          "whole span a monitor shows (0 to 350)"));
}

TEST(ScenarioLoaderTest, WarnsAboutDeadEndsWithoutFailing) {
  const LoadResult result =
      ParseScenario("s.yaml",
                    "id: warn\n"
                    "title: Warnings only\n"
                    "patient: {age_years: 3}\n"
                    "initial_state: a\n"
                    "states:\n"
                    "  - name: a\n"
                    "    transitions: [{to_state: b, at_scenario_time_s: 5}]\n"
                    "  - name: b\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_TRUE(result.scenario.has_value());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:5:1: warning: no state is terminal; the scenario can only end by "
                          "an instructor's stop",
                          "s.yaml:8:5: warning: state 'b' is neither terminal nor has transitions; "
                          "only an instructor can leave it"));
}

TEST(ScenarioLoaderTest, WarnsAboutTransitionsThatCannotFire) {
  const LoadResult result = ParseScenario(
      "s.yaml",
      MinimalScenario("    transitions: [{to_state: b, instructor_choice: true}]\n"
                      "  - name: b\n"
                      "    transitions:\n"
                      "      - {to_state: a, instructor_choice: false}\n"
                      "      - {to_state: a, on_action: {kind: oxygen, drug: oxygen}}\n"));
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:8:5: warning: terminal state 'a' has transitions; they never "
                          "fire because entering it ends the scenario",
                          "s.yaml:9:5: warning: state 'b' cannot be reached from the initial "
                          "state 'a' through any transition; it is reachable only by an "
                          "instructor's GoToState",
                          "s.yaml:11:42: warning: instructor_choice: false can never fire; write "
                          "true",
                          "s.yaml:12:55: warning: drug is meant for kind drug; other actions "
                          "rarely name a drug, so this transition may never fire"));
}

TEST(ScenarioLoaderTest, SemanticChecksWaitForACleanParse) {
  // The misspelt to_state must not also yield "transition has no to_state".
  const LoadResult result = ParseScenario(
      "s.yaml", MinimalScenario("  - name: b\n"
                                "    transitions: [{to_sate: a, instructor_choice: true}]\n"));
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:9:20: error: unknown field 'to_sate' in Transition; did you "
                          "mean 'to_state'?"));
}

TEST(ScenarioLoaderTest, EstimatesMissingWeightFromAge) {
  struct Case {
    const char* patient;
    double expected_kg;
  };
  // Updated APLS: 0.5 x months + 4 | 2 x years + 8 | 3 x years + 7 (age capped at 14).
  for (const Case& c :
       {Case{"{age_months: 6}", 7}, Case{"{age_years: 3}", 14}, Case{"{age_years: 10}", 37},
        Case{"{age_days: 0}", 4}, Case{"{age_months: 18}", 10}, Case{"{age_years: 16}", 49}}) {
    const LoadResult result = ParseScenario("s.yaml", MinimalScenario("", c.patient));
    ASSERT_TRUE(result.ok()) << c.patient << "\n" << result.FormatDiagnostics();
    EXPECT_DOUBLE_EQ(result.scenario->patient().weight_kg(), c.expected_kg) << c.patient;
    EXPECT_TRUE(result.scenario->patient().weight_estimated()) << c.patient;
  }
}

TEST(ScenarioLoaderTest, KeepsMeasuredWeight) {
  const LoadResult result =
      ParseScenario("s.yaml", MinimalScenario("", "{age_years: 3, weight_kg: 16.2}"));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_DOUBLE_EQ(result.scenario->patient().weight_kg(), 16.2);
  EXPECT_FALSE(result.scenario->patient().weight_estimated());
}

TEST(ScenarioLoaderTest, WeightAndAgeFormulas) {
  v1::Patient infant;
  infant.set_age_months(6);
  EXPECT_DOUBLE_EQ(patient::EstimateWeightKg(infant), 7);
  EXPECT_DOUBLE_EQ(patient::AgeInYears(infant), 0.5);
  v1::Patient newborn;
  newborn.set_age_days(3);
  EXPECT_NEAR(patient::AgeInYears(newborn), 3 / 365.25, 1e-12);
  EXPECT_NEAR(patient::EstimateWeightKg(newborn), 4 + 0.5 * 3 / (365.25 / 12), 1e-12);
  v1::Patient preschooler;
  preschooler.set_age_years(3);
  EXPECT_DOUBLE_EQ(patient::EstimateWeightKg(preschooler), 14);
  v1::Patient five_and_a_half;
  five_and_a_half.set_age_months(66);
  EXPECT_DOUBLE_EQ(patient::EstimateWeightKg(five_and_a_half), 18);
  v1::Patient school_age;
  school_age.set_age_years(10);
  EXPECT_DOUBLE_EQ(patient::EstimateWeightKg(school_age), 37);
  EXPECT_DOUBLE_EQ(patient::AgeInYears(v1::Patient()), 0);
}

TEST(ScenarioLoaderTest, UnreadableFileIsADiagnosticNotAnException) {
  const std::filesystem::path missing = FixturePath("valid/no-such-file.yaml");
  const LoadResult result = LoadScenarioFile(missing);
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre(missing.string() + ": error: cannot read file: No such file or directory"));
  EXPECT_THAT(
      Lines(LoadScenarioFile(FixturePath("valid")).diagnostics),
      ElementsAre(FixturePath("valid").string() + ": error: cannot read file: it is a directory"));
}

TEST(ActionScriptTest, LoadsAnOrderedScript) {
  const ActionScriptResult result =
      LoadActionScriptFile(FixturePath("scripts/oxygen-then-bagging.actions.yaml"));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  ASSERT_TRUE(result.script.has_value());
  ASSERT_EQ(result.script->actions_size(), 3);
  EXPECT_EQ(result.script->actions(0).action().kind(), v1::ACTION_KIND_OXYGEN);
  EXPECT_DOUBLE_EQ(result.script->actions(0).action().oxygen_flow_l_per_min(), 2);
  EXPECT_EQ(result.script->actions(2).action().performer(), "airway");
  EXPECT_DOUBLE_EQ(result.script->actions(2).at_s(), 95.5);
}

TEST(ActionScriptTest, ReportsOrderNegativeTimesAndMissingKinds) {
  const ActionScriptResult result = ParseActionScript(
      "out-of-order.actions.yaml", ReadFixture("scripts/out-of-order.actions.yaml"));
  EXPECT_FALSE(result.script.has_value());
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("out-of-order.actions.yaml:4:11: error: actions must be in time order: "
                  "at_s 20 comes after at_s 60",
                  "out-of-order.actions.yaml:6:11: error: at_s must not be negative, got -5",
                  "out-of-order.actions.yaml:6:11: error: actions must be in time order: "
                  "at_s -5 comes after at_s 20",
                  "out-of-order.actions.yaml:7:5: error: action has no kind"));
}

TEST(ActionScriptTest, EntriesAreAnActionOrARunOfCompressions) {
  const ActionScriptResult result = ParseActionScript(
      "a.yaml",
      "actions:\n"
      "  - at_s: 5\n"
      "    compressions: {duration_s: 60, rate_per_min: 110, depth_mm: 50}\n"
      "  - at_s: 6\n"
      "  - at_s: 7\n"
      "    compressions: {duration_s: 0, rate_per_min: -1, ventilations_per_min: -2}\n"
      "  - at_s: 8\n"
      "    compressions: {duration_s: 1e9, rate_per_min: 1000}\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("a.yaml:4:5: error: entry has neither an action nor compressions",
                          "a.yaml:6:32: error: duration_s must be between 0 and 86400 s, got 0",
                          "a.yaml:6:49: error: rate_per_min must be between 0 and 300, got -1",
                          "a.yaml:6:75: error: ventilations_per_min must not be negative, got -2",
                          "a.yaml:8:32: error: duration_s must be between 0 and 86400 s, got 1e+09",
                          "a.yaml:8:51: error: rate_per_min must be between 0 and 300, got 1000"));
}

TEST(ActionScriptTest, SharesTheParserErrors) {
  const ActionScriptResult result =
      ParseActionScript("a.yaml", "actions:\n  - at: 5\n    action: {kind: oxygen}\n");
  EXPECT_THAT(Lines(result.diagnostics),
              Contains(HasSubstr("a.yaml:2:5: error: unknown field 'at' in ScriptedAction")));
}

}  // namespace
}  // namespace pedisim::scenario

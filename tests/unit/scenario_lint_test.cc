// Lint warnings (controller/scenario/lint_checks.cc): unreachable states,
// transitions that can never fire, surprising initial vitals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/scenario/scenario_loader.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::FixturePath;
using ::pedisim::scenario::testing::Lines;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Lines 1-5 of a scenario; the states follow from line 6 on.
LoadResult ParseStates(const std::string& states, const std::string& patient = "{age_years: 4}") {
  return ParseScenario("s.yaml",
                       "id: lint\n"
                       "title: Lint\n"
                       "patient: " +
                           patient +
                           "\n"
                           "initial_state: a\n"
                           "states:\n" +
                           states);
}

TEST(ScenarioLintTest, StatesNoTransitionReachesAreReachableOnlyByGoToState) {
  const LoadResult result = ParseStates(
      "  - name: a\n"
      "    transitions: [{to_state: b, instructor_choice: true}]\n"
      "  - name: b\n"
      "    terminal: true\n"
      "    transitions: [{to_state: c, after_time_in_state_s: 1}]\n"
      "  - name: c\n"
      "    transitions: [{to_state: d, instructor_choice: false}]\n"
      "  - {name: d, terminal: true}\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  // b, entered by instructor_choice, is reachable; c only from terminal b,
  // d only by a choice that is never offered.
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:10:5: warning: terminal state 'b' has transitions; they never "
                          "fire because entering it ends the scenario",
                          "s.yaml:11:5: warning: state 'c' cannot be reached from the initial "
                          "state 'a' through any transition; it is reachable only by an "
                          "instructor's GoToState",
                          "s.yaml:12:52: warning: instructor_choice: false can never fire; write "
                          "true",
                          "s.yaml:13:5: warning: state 'd' cannot be reached from the initial "
                          "state 'a' through any transition; it is reachable only by an "
                          "instructor's GoToState"));
}

TEST(ScenarioLintTest, TimedTransitionAfterAnEarlierShorterTimerNeverFires) {
  const LoadResult result = ParseStates(
      "  - name: a\n"
      "    transitions:\n"
      "      - {to_state: b, after_time_in_state_s: 120}\n"
      "      - {to_state: c, after_time_in_state_s: 180}\n"
      "      - {to_state: c, after_time_in_state_s: 60}\n"
      "      - {to_state: c, after_time_in_state_s: 120, delay_s: 5}\n"
      "  - name: b\n"
      "    transitions:\n"
      "      - {to_state: c, after_time_in_state_s: 30, delay_s: 10}\n"
      "      - {to_state: c, after_time_in_state_s: 60}\n"
      "      - {to_state: c, after_time_in_state_s: 0}\n"
      "      - {to_state: c, on_action: {kind: oxygen}}\n"
      "      - {to_state: c, instructor_choice: true}\n"
      "  - {name: c, terminal: true}\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  // b's 60 s timer is safe: the 30 s one only schedules a change (delay).
  // Its 0 s timer fires on entry, which rules out the action after it but
  // not the instructor's choice.
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:9:46: warning: this transition never fires: the earlier transition to "
                  "'b' leaves the state after 120 s, no later than this one's 180 s",
                  "s.yaml:11:46: warning: this transition never fires: the earlier transition to "
                  "'b' leaves the state after 120 s, no later than this one's 120 s",
                  "s.yaml:17:9: warning: this transition never fires: the earlier transition to "
                  "'c' fires as soon as the state is entered"));
}

TEST(ScenarioLintTest, VitalThresholdsBeyondWhatTheVitalCanReachNeverFire) {
  const LoadResult result = ParseStates(
      "  - name: a\n"
      "    transitions:\n"
      "      - {to_state: b, on_vital: {vital: spo2_pct, above: 100}}\n"
      "      - {to_state: b, on_vital: {vital: heart_rate_bpm, below: 0, above: 200}}\n"
      "      - {to_state: b, on_vital: {vital: heart_rate_bpm, below: 1}}\n"
      "  - {name: b, terminal: true}\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:8:58: warning: spo2_pct is never above 100 (its highest "
                          "possible value is 100), so this threshold is never crossed",
                          "s.yaml:9:64: warning: heart_rate_bpm is never below 0 (its lowest "
                          "possible value is 0), so this threshold is never crossed"));
}

TEST(ScenarioLintTest, ScenarioTimeBeforeTheStateCanBeEntered) {
  const LoadResult result = ParseStates(
      "  - name: a\n"
      "    transitions: [{to_state: b, after_time_in_state_s: 100, delay_s: 20}]\n"
      "  - name: b\n"
      "    transitions:\n"
      "      - {to_state: d, at_scenario_time_s: 90}\n"
      "      - {to_state: c, at_scenario_time_s: 150}\n"
      "      - {to_state: d, on_action: {kind: oxygen}}\n"
      "  - name: c\n"
      "    transitions: [{to_state: d, at_scenario_time_s: 120}]\n"
      "  - {name: d, terminal: true}\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  // b is entered at 120 s at the soonest, c at 150 s (b's second timer).
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:10:43: warning: at_scenario_time_s 90 is earlier than state "
                          "'b' can be entered through its transitions (120 s at the soonest), so "
                          "the scenario clock has always passed it when this transition is "
                          "considered",
                          "s.yaml:14:53: warning: at_scenario_time_s 120 is earlier than state "
                          "'c' can be entered through its transitions (150 s at the soonest), so "
                          "the scenario clock has always passed it when this transition is "
                          "considered"));
}

TEST(ScenarioLintTest, VitalsFarOutsideTheAgeBandLookMeantForAnotherAge) {
  const LoadResult result = ParseStates(
      "  - name: a\n"
      "    vitals: {heart_rate_bpm: 60, spo2_pct: 97, nibp_systolic_mmhg: 220, rhythm: sinus}\n"
      "    transitions: [{to_state: b, instructor_choice: true}]\n"
      "  - name: b\n"
      "    vitals: {heart_rate_bpm: 220, respiratory_rate_bpm: 120, spo2_pct: 70}\n"
      "    terminal: true\n",
      "{age_months: 6}");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  // Bradycardia at 60, SVT at 220 and a saturation of 70 are what infant
  // emergencies look like; a systolic of 220 and an RR of 120 are not.
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:7:68: warning: nibp_systolic_mmhg 220 is more than twice the "
                          "top of the infant normal range 72-104 (PALS, clinical.md §1b); is it "
                          "meant for another age?",
                          "s.yaml:10:57: warning: respiratory_rate_bpm 120 is more than twice "
                          "the top of the infant normal range 30-53 (PALS, clinical.md §1a); is "
                          "it meant for another age?"));
}

TEST(ScenarioLintTest, WaitsForACleanScenario) {
  // A misspelt to_state leaves its intended target unreached; one error is
  // enough.
  const LoadResult result = ParseStates(
      "  - name: a\n"
      "    transitions: [{to_state: bb, instructor_choice: true}]\n"
      "  - {name: b, terminal: true}\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:7:30: error: to_state 'bb' is not a state of this scenario; "
                          "did you mean 'b'?"));
}

TEST(ScenarioLintTest, ShippedScenariosLoadWithoutErrors) {
  const std::filesystem::path shipped =
      FixturePath("../../../scenarios/infant-respiratory-failure/scenario.yaml");
  for (const std::filesystem::path& path : {shipped, FixturePath("test-short.yaml")}) {
    const LoadResult result = LoadScenarioFile(path);
    EXPECT_TRUE(result.ok()) << path << "\n" << result.FormatDiagnostics();
  }
  EXPECT_THAT(LoadScenarioFile(FixturePath("test-short.yaml")).diagnostics, IsEmpty());
}

}  // namespace
}  // namespace pedisim::scenario

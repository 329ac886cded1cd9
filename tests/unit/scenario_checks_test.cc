// Semantic checks of action conditions, vital triggers, handlers, critical
// actions and findings (controller/scenario/*_checks.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/scenario/scenario_loader.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::Lines;
using ::testing::ElementsAre;

// A valid scenario (lines 1-8) to which each test appends lines.
LoadResult ParseWith(const std::string& extra_lines) {
  return ParseScenario("s.yaml",
                       "id: checks\n"
                       "title: Checks\n"
                       "patient: {age_years: 4}\n"
                       "initial_state: a\n"
                       "states:\n"
                       "  - name: a\n"
                       "    transitions: [{to_state: b, instructor_choice: true}]\n"
                       "  - {name: b, terminal: true}\n" +
                           extra_lines);
}

TEST(ScenarioChecksTest, ActionConditionRangesRoutesAndWindow) {
  const LoadResult result = ParseWith(
      "critical_actions:\n"
      "  - name: epinephrine\n"
      "    deadline_s: 300\n"
      "    action:\n"
      "      kind: drug\n"
      "      dose_mg_per_kg: {min: 0.02, max: 0.01}\n"
      "      volume_ml_per_kg: {min: -1}\n"
      "      routes: [IV, ' ']\n"
      "      within_s: -5\n");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:10:5: warning: item names no competency; tag it with at least one of "
                  "the six ACGME competencies so the report can total it",
                  "s.yaml:14:40: error: dose_mg_per_kg: min 0.02 is greater than max "
                  "0.01, so no action matches",
                  "s.yaml:15:7: warning: volume_ml_per_kg is meant for kinds fluid_bolus "
                  "and ventilation; an action of kind drug has no such quantity, so this "
                  "critical action may never be met",
                  "s.yaml:15:31: error: volume_ml_per_kg.min must not be negative, got -1",
                  "s.yaml:16:20: error: route is empty; write one such as IV, IO or IM",
                  "s.yaml:17:17: error: within_s must not be negative, got -5"));
}

TEST(ScenarioChecksTest, ConditionsTheKindNeverCarriesAreWarnings) {
  const LoadResult result = ParseWith(
      "handlers:\n"
      "  - name: oxygen\n"
      "    on_action: {kind: oxygen, dose_mg_per_kg: {min: 1}, routes: [IV]}\n"
      "    effects: [{vital: spo2_pct, change: 3}]\n"
      "  - name: shock\n"
      "    on_action: {kind: defibrillation, energy_j_per_kg: {min: 2, max: 4}}\n"
      "    effects: [{vital: heart_rate_bpm, change: -20}]\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:11:31: warning: dose_mg_per_kg is meant for kind drug; an action "
                          "of kind oxygen has no such quantity, so this handler may never apply",
                          "s.yaml:11:57: warning: routes are meant for kind drug; other actions "
                          "have no route, so this handler may never apply"));
}

TEST(ScenarioChecksTest, VitalTriggerNamesAVitalAndAThreshold) {
  const LoadResult result = ParseScenario(
      "s.yaml",
      "id: checks\ntitle: Checks\npatient: {age_years: 4}\ninitial_state: a\nstates:\n"
      "  - name: a\n"
      "    transitions:\n"
      "      - {to_state: b, on_vital: {vital: spo2, below: 90}}\n"
      "      - {to_state: b, on_vital: {vital: heart_rate_bpm, held_for_s: -1}}\n"
      "  - {name: b, terminal: true}\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:8:41: error: 'spo2' is not a vital; did you mean 'spo2_pct'?",
                          "s.yaml:9:23: error: on_vital needs a threshold: set below or above",
                          "s.yaml:9:69: error: held_for_s must not be negative, got -1"));
}

TEST(ScenarioChecksTest, HandlersNeedAKindKnownStatesAndVitalsAndSomethingToDo) {
  const LoadResult result = ParseWith(
      "handlers:\n"
      "  - name: nothing\n"
      "    on_action: {drug: adrenaline}\n"
      "    states: [a, arest]\n"
      "  - name: bad effects\n"
      "    on_action: {kind: fluid_bolus, volume_ml_per_kg: {min: 10}}\n"
      "    effects:\n"
      "      - {vital: blood_pressure, change: 10, onset_s: -1}\n"
      "      - {vital: heart_rate_bpm, change: 0, hold_s: -2, wear_off_s: -3}\n"
      "      - {vital: spo2_pct, change: 2, lasting: true, wear_off_s: 30}\n"
      "    findings: {capillary_refill_s: -1}\n");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre(
          "s.yaml:10:5: error: handler 'nothing' has no effects, findings or explanation, so it "
          "would do nothing",
          "s.yaml:11:5: error: on_action has no kind",
          "s.yaml:12:17: error: state 'arest' is not a state of this scenario; states are: a, b",
          "s.yaml:16:17: error: 'blood_pressure' is not a vital an effect can change; use one of "
          "heart_rate_bpm, spo2_pct, respiratory_rate_bpm, nibp_systolic_mmhg, "
          "nibp_diastolic_mmhg, nibp_mean_mmhg, etco2_mmhg, temperature_c",
          "s.yaml:16:54: error: onset_s must not be negative, got -1",
          "s.yaml:17:9: warning: effect on heart_rate_bpm has no change, so it does nothing",
          "s.yaml:17:52: error: hold_s must not be negative, got -2",
          "s.yaml:17:68: error: wear_off_s must not be negative, got -3",
          "s.yaml:18:65: warning: wear_off_s does nothing for a lasting effect, which never "
          "wears off",
          "s.yaml:19:36: error: capillary_refill_s -1 is outside 0 to 20 s"));
}

TEST(ScenarioChecksTest, AnExplanationAloneIsAResponse) {
  const LoadResult result = ParseWith(
      "handlers:\n"
      "  - name: glucose check\n"
      "    on_action: {kind: glucose_check}\n"
      "    explanation: The meter reads HI.\n");
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_TRUE(result.diagnostics.empty()) << result.FormatDiagnostics();
}

TEST(ScenarioChecksTest, CriticalActionsNeedAKindADeadlineAndAKnownState) {
  const LoadResult result = ParseWith(
      "critical_actions:\n"
      "  - {name: oxygen, action: {kind: oxygen}, deadline_s: 0, from_state: start}\n"
      "  - name: call for help\n"
      "    deadline_s: -60\n");
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:10:5: warning: item names no competency; tag it with at least one of "
                  "the six ACGME competencies so the report can total it",
                  "s.yaml:10:56: error: deadline_s must be greater than 0, got 0",
                  "s.yaml:10:71: error: from_state 'start' is not a state of this "
                  "scenario; states are: a, b",
                  "s.yaml:11:5: error: action has no kind",
                  "s.yaml:11:5: warning: item names no competency; tag it with at least one of "
                  "the six ACGME competencies so the report can total it",
                  "s.yaml:12:17: error: deadline_s must be greater than 0, got -60"));
}

TEST(ScenarioChecksTest, CapillaryRefillAndNoiseScaleBounds) {
  const LoadResult result =
      ParseScenario("s.yaml",
                    "id: checks\ntitle: Checks\npatient: {age_years: 4}\n"
                    "noise_scale: -0.5\n"
                    "initial_state: a\nstates:\n"
                    "  - name: a\n"
                    "    terminal: true\n"
                    "    findings: {capillary_refill_s: 25, cyanosis: true}\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:4:14: error: noise_scale must not be negative, got -0.5",
                          "s.yaml:9:36: error: capillary_refill_s 25 is outside 0 to 20 s"));
}

}  // namespace
}  // namespace pedisim::scenario

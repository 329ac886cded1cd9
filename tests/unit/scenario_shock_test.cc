// Shocks that can fail (State.shock_odds, ActionTrigger.shock_result) as the
// loader reads and checks them: YAML and JSON alike, mistakes at
// file:line:col, and the lint about odds a shock can never act on.
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

// State `vf` with `odds_lines` under shock_odds.bands and `transition_lines`
// under its transitions; `rosc` is terminal.
std::string WithShockOdds(const std::string& odds_lines, const std::string& transition_lines) {
  return "id: s\n"
         "title: S\n"
         "patient: {age_years: 8}\n"
         "initial_state: vf\n"
         "states:\n"
         "  - name: vf\n"
         "    vitals: {rhythm: ventricular_fibrillation}\n"
         "    shock_odds:\n"
         "      bands:\n" +
         odds_lines + "    transitions:\n" + transition_lines +
         "  - name: rosc\n"
         "    terminal: true\n";
}

const char kShockTransitions[] =
    "      - {to_state: rosc, label: VF ends, on_action: {kind: defibrillation}}\n";

TEST(ScenarioShockTest, ReadsOddsAndShockResults) {
  const LoadResult result = ParseScenario(
      "s.yaml",
      WithShockOdds("        - {attempt: {max: 1}, energy_j_per_kg: {min: 1.9, max: 2.1}, "
                    "success_probability: 0.3}\n"
                    "        - {attempt: {min: 2}, success_probability: 0.6}\n",
                    "      - {to_state: vf, label: failed, on_action: {kind: defibrillation, "
                    "shock_result: failed, count: 3}}\n" +
                        std::string(kShockTransitions)));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics), IsEmpty());
  const v1::ShockOdds& odds = result.scenario->states(0).shock_odds();
  ASSERT_EQ(odds.bands_size(), 2);
  EXPECT_EQ(odds.bands(0).attempt().max(), 1);
  EXPECT_EQ(odds.bands(0).energy_j_per_kg().min(), 1.9);
  EXPECT_EQ(odds.bands(0).success_probability(), 0.3);
  EXPECT_EQ(result.scenario->states(0).transitions(0).on_action().shock_result(),
            v1::SHOCK_RESULT_FAILED);
}

TEST(ScenarioShockTest, ReadsJsonToo) {
  const std::string json = R"({
  "id": "s", "title": "S", "patient": {"age_years": 8}, "initial_state": "vf",
  "states": [
    {"name": "vf", "shock_odds": {"bands": [{"success_probability": 0.5}]},
     "transitions": [{"to_state": "rosc", "label": "VF ends",
                      "on_action": {"kind": "defibrillation", "shock_result": "terminated"}}]},
    {"name": "rosc", "terminal": true}
  ]
})";
  const LoadResult result = ParseScenario("s.json", json);
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_EQ(result.scenario->states(0).shock_odds().bands(0).success_probability(), 0.5);
  EXPECT_EQ(result.scenario->states(0).transitions(0).on_action().shock_result(),
            v1::SHOCK_RESULT_TERMINATED);
}

TEST(ScenarioShockTest, OddsOutsideZeroToOneAndBackwardsBandsAreErrors) {
  const LoadResult result = ParseScenario(
      "s.yaml", WithShockOdds("        - {attempt: {min: 0}, success_probability: 30}\n"
                              "        - {energy_j_per_kg: {min: 4, max: 2}, "
                              "success_probability: 0.5}\n",
                              kShockTransitions));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre("s.yaml:10:27: error: attempts count from 1 (the session's first shock)",
                  "s.yaml:10:52: error: success_probability 30 is not a probability: use a "
                  "number from 0 to 1 (0.3 for 30 %)",
                  "s.yaml:11:12: error: energy_j_per_kg min is above max, so no shock is in "
                  "this band"));
}

TEST(ScenarioShockTest, ShockResultOnAnotherKindIsAnError) {
  const LoadResult result = ParseScenario(
      "s.yaml", WithShockOdds("        - {success_probability: 0.5}\n",
                              "      - {to_state: rosc, label: drug, on_action: {kind: drug, "
                              "shock_result: failed}}\n" +
                                  std::string(kShockTransitions)));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:12:77: error: shock_result applies only to kind "
                          "defibrillation"));
}

TEST(ScenarioShockTest, OddsNoTransitionActsOnAreLinted) {
  const LoadResult result = ParseScenario(
      "s.yaml",
      WithShockOdds("        - {success_probability: 0.5}\n",
                    "      - {to_state: rosc, label: time, after_time_in_state_s: 60}\n"));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:8:5: warning: no transition of state 'vf' takes a shock that "
                          "ends the rhythm (on_action: {kind: defibrillation}), so a successful "
                          "shock changes nothing"));
}

TEST(ScenarioShockTest, ShockResultWhereNothingReadsItIsLinted) {
  const std::string yaml =
      "id: s\n"
      "title: S\n"
      "patient: {age_years: 8}\n"
      "initial_state: vf\n"
      "states:\n"
      "  - name: vf\n"
      "    transitions:\n"
      "      - {to_state: rosc, label: VF ends, on_action: {kind: defibrillation, "
      "shock_result: terminated}}\n"
      "  - name: rosc\n"
      "    terminal: true\n"
      "handlers:\n"
      "  - name: shock\n"
      "    on_action: {kind: defibrillation, shock_result: failed}\n"
      "    explanation: a shock\n";
  const LoadResult result = ParseScenario("s.yaml", yaml);
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:8:90: warning: state 'vf' has no shock_odds, so every shock "
                          "ends as the script says and shock_result changes nothing",
                          "s.yaml:13:53: warning: only a transition's on_action reads "
                          "shock_result; here every shock counts"));
}

// A handler `adenosine` with `rhythm_effect_line` (indented for the handler).
std::string WithRhythmEffect(const std::string& rhythm_effect_line) {
  return "id: s\n"
         "title: S\n"
         "patient: {age_months: 6}\n"
         "initial_state: svt\n"
         "states:\n"
         "  - name: svt\n"
         "    vitals: {rhythm: svt}\n"
         "    transitions: [{to_state: sinus, label: converts, on_action: {kind: drug, drug: "
         "adenosine}, delay_s: 6}]\n"
         "  - name: sinus\n"
         "    terminal: true\n"
         "handlers:\n"
         "  - name: adenosine\n"
         "    on_action: {kind: drug, drug: adenosine}\n" +
         rhythm_effect_line;
}

TEST(ScenarioRhythmEffectTest, ReadsARhythmForAWhile) {
  const LoadResult result = ParseScenario(
      "s.yaml", WithRhythmEffect("    rhythm_effect: {rhythm: asystole, duration_s: 6}\n"));
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_THAT(Lines(result.diagnostics), IsEmpty());
  const v1::RhythmEffect& effect = result.scenario->handlers(0).rhythm_effect();
  EXPECT_EQ(effect.rhythm(), v1::RHYTHM_ASYSTOLE);
  EXPECT_EQ(effect.duration_s(), 6);
}

TEST(ScenarioRhythmEffectTest, ARhythmEffectNeedsARhythmAndADuration) {
  const LoadResult missing =
      ParseScenario("s.yaml", WithRhythmEffect("    rhythm_effect: {rhythm: asystole}\n"));
  EXPECT_FALSE(missing.ok());
  EXPECT_THAT(Lines(missing.diagnostics),
              ElementsAre("s.yaml:14:5: error: rhythm_effect needs a duration_s above 0: how "
                          "long the rhythm lasts before the script's shows again (a lasting "
                          "rhythm is a state's)"));
  const LoadResult negative =
      ParseScenario("s.yaml", WithRhythmEffect("    rhythm_effect: {duration_s: -2}\n"));
  EXPECT_FALSE(negative.ok());
  EXPECT_THAT(Lines(negative.diagnostics),
              ElementsAre("s.yaml:14:5: error: rhythm_effect needs a rhythm (asystole for "
                          "adenosine's pause)",
                          "s.yaml:14:33: error: rhythm_effect needs a duration_s above 0: how "
                          "long the rhythm lasts before the script's shows again (a lasting "
                          "rhythm is a state's)"));
}

}  // namespace
}  // namespace pedisim::scenario

// Checks of assessment rules (controller/scenario/assessment_checks.cc),
// guideline resolution and rule sets shared through include.
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

// A valid scenario (lines 1-9) to which each test appends lines.
constexpr char kScenario[] =
    "id: rules\n"
    "title: Rules\n"
    "guideline_set: test-set\n"
    "patient: {age_years: 4}\n"
    "initial_state: a\n"
    "states:\n"
    "  - name: a\n"
    "    transitions: [{to_state: b, instructor_choice: true}]\n"
    "  - {name: b, terminal: true}\n";

GuidelineLibrary TestLibrary() {
  GuidelineLibrary library;
  v1::GuidelineSet set;
  set.set_name("test-set");
  v1::DrugEntry& epinephrine = *set.add_drugs();
  epinephrine.set_drug("epinephrine");
  epinephrine.add_doses()->mutable_dose_mg_per_kg()->set_min(0.01);
  library.Add(set);
  return library;
}

LoadResult ParseWith(const std::string& extra_lines,
                     const std::map<std::string, std::string>& included = {}) {
  const GuidelineLibrary library = TestLibrary();
  return ParseScenario("s.yaml", kScenario + extra_lines, included, &library);
}

TEST(AssessmentChecksTest, RulesNamingUnknownStatesAndBadScalesAreErrorsAtTheirLine) {
  const LoadResult result = ParseWith(
      "critical_actions:\n"
      "  - name: oxygen\n"
      "    action: {kind: oxygen}\n"
      "    deadline_s: 60\n"
      "    measured_from: {state_entered: c}\n"
      "    competencies: [patient_care]\n"
      "commission_rules:\n"
      "  - name: oxygen\n"
      "    action: {kind: defibrillation}\n"
      "    states: [bb]\n"
      "    competencies: [medical_knowledge]\n"
      "  - name: fluids\n"
      "    fluid_over: {ml_per_kg: 0}\n"
      "    competencies: [patient_care]\n"
      "instructor_items:\n"
      "  - {name: lead, scale_min: 3, scale_max: 1, competencies: [professionalism]}\n");
  EXPECT_THAT(
      Lines(result.diagnostics),
      ElementsAre(
          "s.yaml:14:36: error: state_entered 'c' is not a state of this scenario; states are: "
          "a, b",
          "s.yaml:17:11: error: duplicate assessment item 'oxygen'; first defined at line 11",
          "s.yaml:19:14: error: state 'bb' is not a state of this scenario; did you mean 'b'?",
          "s.yaml:22:29: error: ml_per_kg must be greater than 0, got 0",
          "s.yaml:25:43: error: scale_max 1 must be greater than scale_min 3"));
}

TEST(AssessmentChecksTest, AConditionOnKindOtherIsAnErrorAtItsKind) {
  const LoadResult result = ParseWith(
      "order_constraints:\n"
      "  - name: blood culture before antibiotics\n"
      "    first: [{kind: other}]\n"
      "    then: [{kind: drug, drug: epinephrine}]\n"
      "    competencies: [systems_based_practice]\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:12:20: error: first[0] cannot wait for kind other: an other "
                          "action is a free-text note and matches no condition; name the "
                          "action's own kind, or judge it with an instructor_choice transition "
                          "or an instructor item"));
}

TEST(AssessmentChecksTest, AWindowStartsAtAnActionThatCanHappen) {
  const LoadResult fine = ParseWith(
      "critical_actions:\n"
      "  - name: epinephrine after recognition\n"
      "    action: {kind: drug, drug: epinephrine}\n"
      "    measured_from: {action_taken: {kind: pulse_check}}\n"
      "    deadline_s: 300\n"
      "    competencies: [patient_care]\n");
  ASSERT_TRUE(fine.ok()) << fine.FormatDiagnostics();
  EXPECT_THAT(Lines(fine.diagnostics), IsEmpty());
  EXPECT_EQ(fine.scenario->critical_actions(0).measured_from().action_taken().kind(),
            v1::ACTION_KIND_PULSE_CHECK);
  // A window no action can open: `other` matches nothing.
  const LoadResult never = ParseWith(
      "critical_actions:\n"
      "  - name: epinephrine after recognition\n"
      "    action: {kind: drug, drug: epinephrine}\n"
      "    measured_from: {action_taken: {kind: other}}\n"
      "    deadline_s: 300\n"
      "    competencies: [patient_care]\n");
  EXPECT_FALSE(never.ok());
  ASSERT_EQ(never.diagnostics.size(), 1u) << never.FormatDiagnostics();
  EXPECT_THAT(
      Lines(never.diagnostics)[0],
      ::testing::StartsWith("s.yaml:13:42: error: action_taken cannot wait for kind other"));
}

TEST(AssessmentChecksTest, ItemsWithoutACompetencyDrawAWarning) {
  const LoadResult result = ParseWith(
      "order_constraints:\n"
      "  - name: access first\n"
      "    first: [{kind: iv_access}]\n"
      "    then: [{kind: drug, drug: epinephrine}]\n");
  EXPECT_TRUE(result.ok());
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:11:5: warning: item names no competency; tag it with at least "
                          "one of the six ACGME competencies so the report can total it"));
}

TEST(AssessmentChecksTest, UnknownGuidelineSetsAndDrugsAreErrors) {
  const GuidelineLibrary library = TestLibrary();
  std::string unknown_set = kScenario;
  unknown_set.replace(unknown_set.find("test-set"), 8, "test-sett");
  EXPECT_THAT(Lines(ParseScenario("s.yaml", unknown_set, {}, &library).diagnostics),
              ElementsAre("s.yaml:3:16: error: guideline_set 'test-sett' is not one this "
                          "controller has; did you mean 'test-set'?"));
  const LoadResult result = ParseWith(
      "commission_rules:\n"
      "  - name: no ten-fold\n"
      "    dose_error: {drug: adrenalin, verdicts: [tenfold_over]}\n"
      "    competencies: [medical_knowledge]\n");
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("s.yaml:12:24: error: drug 'adrenalin' is not in the test-set drug "
                          "table, so its doses are never checked"));
}

TEST(AssessmentChecksTest, TheResolvedGuidelineSetTravelsWithTheScenario) {
  const LoadResult result = ParseWith("");
  ASSERT_TRUE(result.ok()) << result.FormatDiagnostics();
  EXPECT_EQ(result.scenario->guidelines().name(), "test-set");
  EXPECT_EQ(result.scenario->guidelines().drugs(0).drug(), "epinephrine");
}

TEST(AssessmentChecksTest, RuleSetsAreIncludedLikeFragmentsWithErrorsInTheirOwnFile) {
  const std::string rule_set =
      "critical_actions:\n"
      "  - name: call for help\n"
      "    action: {kind: call_for_help}\n"
      "    deadline_s: 60\n"
      "    competencies: [systems_based_practice]\n"
      "commission_rules:\n"
      "  - name: no ten-fold epinephrine\n"
      "    dose_error: {drug: epinephrine}\n"
      "    states: [z]\n"
      "    competencies: [medical_knowledge]\n";
  const LoadResult result =
      ParseWith("include: [../rulesets/common.yaml]\n", {{"../rulesets/common.yaml", rule_set}});
  EXPECT_THAT(Lines(result.diagnostics),
              ElementsAre("../rulesets/common.yaml:9:14: error: state 'z' is not a state of "
                          "this scenario; states are: a, b"));

  std::string fixed = rule_set;
  fixed.replace(fixed.find("    states: [z]\n"), 16, "");
  const LoadResult included =
      ParseWith("include: [../rulesets/common.yaml]\n", {{"../rulesets/common.yaml", fixed}});
  ASSERT_TRUE(included.ok()) << included.FormatDiagnostics();
  EXPECT_THAT(Lines(included.diagnostics), IsEmpty());
  EXPECT_EQ(included.scenario->critical_actions(0).name(), "call for help");
  EXPECT_EQ(included.scenario->commission_rules(0).name(), "no ten-fold epinephrine");
}

}  // namespace
}  // namespace pedisim::scenario

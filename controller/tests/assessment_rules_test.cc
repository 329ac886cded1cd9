// The assessor, through a real Simulation (engine and all), grading each
// rule type in runs that meet and miss it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "controller/session/event_text.h"
#include "controller/session/simulation.h"
#include "controller/tests/assessed_run.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/guideline_library.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::session {
namespace {

using testing::ActionOf;
using testing::Drug;
using testing::Fluid;
using testing::Note;

constexpr char kGuidelines[] = R"(
name: test-set
dose_tolerance: 0.05
drugs:
  - drug: epinephrine
    doses: [{routes: [IV, IO], dose_mg_per_kg: {min: 0.01, max: 0.01}, max_single_dose_mg: 1}]
  - drug: ceftriaxone
    doses: [{routes: [IV, IO], dose_mg_per_kg: {min: 50, max: 100}, max_single_dose_mg: 4000}]
)";

constexpr char kScenario[] = R"(
id: assessed
title: Assessment rules
guideline_set: test-set
noise_scale: 0
patient: {age_years: 5, weight_kg: 20}
initial_state: shock
states:
  - name: shock
    vitals: {heart_rate_bpm: 150, spo2_pct: 95, nibp_systolic_mmhg: 80, nibp_diastolic_mmhg: 40}
    transitions:
      - {to_state: hypoxic, instructor_choice: true}
      - {to_state: arrest, instructor_choice: true}
  - name: hypoxic
    vitals: {spo2_pct: 82}
    transitions: [{to_state: arrest, instructor_choice: true}]
  - name: arrest
    vitals: {rhythm: ventricular_fibrillation}
    transitions: [{to_state: done, instructor_choice: true}]
  - name: done
    terminal: true
critical_actions:
  - name: Vascular access
    action: {kind: iv_access}
    alternatives: [{kind: io_access}]
    deadline_s: 60
    competencies: [patient_care]
  - name: Epinephrine in arrest
    action: {kind: drug, drug: epinephrine, dose_mg_per_kg: {min: 0.0095, max: 0.0105}, routes: [IV, IO]}
    from_state: arrest
    deadline_s: 30
    competencies: [medical_knowledge, patient_care]
  - name: Oxygen for hypoxia
    action: {kind: oxygen}
    measured_from: {vital_crossing: {vital: spo2_pct, below: 90}}
    deadline_s: 20
    competencies: [patient_care]
order_constraints:
  - name: Access before antibiotics
    first: [{kind: iv_access}, {kind: io_access}]
    then: [{kind: drug, drug: ceftriaxone}]
    competencies: [systems_based_practice]
commission_rules:
  - name: No shock with a pulse
    action: {kind: defibrillation}
    states: [shock, hypoxic]
    competencies: [medical_knowledge]
  - name: At most 60 mL/kg in 10 minutes
    fluid_over: {ml_per_kg: 60}
    within_s: 600
    competencies: [patient_care]
  - name: No ten-fold epinephrine
    dose_error: {drug: epinephrine, verdicts: [tenfold_over, tenfold_under]}
    competencies: [medical_knowledge]
instructor_items:
  - name: Leadership
    scale_min: 1
    scale_max: 5
    competencies: [interpersonal_communication, professionalism]
)";

// Items that share a drug or a kind of action: a looser companion of a dose
// item, and two shocks set apart by energy.
constexpr char kCompanionScenario[] = R"(
id: companions
title: Companion items
guideline_set: test-set
noise_scale: 0
patient: {age_years: 5, weight_kg: 20}
initial_state: arrest
states:
  - name: arrest
    vitals: {rhythm: ventricular_fibrillation}
    transitions: [{to_state: done, instructor_choice: true}]
  - name: done
    terminal: true
critical_actions:
  - name: Epinephrine given
    action: {kind: drug, drug: epinephrine}
    deadline_s: 60
    competencies: [patient_care]
  - name: Epinephrine 0.01 mg/kg
    action: {kind: drug, drug: epinephrine, dose_mg_per_kg: {min: 0.0095, max: 0.0105}}
    deadline_s: 60
    competencies: [medical_knowledge]
  - name: First shock 2 J/kg
    action: {kind: defibrillation, energy_j_per_kg: {min: 1.9, max: 2.1}}
    deadline_s: 60
    competencies: [patient_care]
  - name: Second shock 4 J/kg
    action: {kind: defibrillation, energy_j_per_kg: {min: 3.8, max: 4.2}}
    deadline_s: 120
    competencies: [patient_care]
  - name: Vascular access
    action: {kind: iv_access}
    alternatives: [{kind: io_access}]
    deadline_s: 60
    competencies: [patient_care]
order_constraints:
  - name: Access before epinephrine
    first: [{kind: iv_access}, {kind: io_access}]
    then: [{kind: drug, drug: epinephrine}]
    competencies: [systems_based_practice]
)";

v1::Scenario LoadScenario(const char* text = kScenario) {
  scenario::GuidelineLibrary library;
  scenario::GuidelineSetResult set = scenario::ParseGuidelineSet("test-set.yaml", kGuidelines);
  EXPECT_TRUE(set.ok()) << set.FormatDiagnostics();
  if (set.set) library.Add(*set.set);
  scenario::LoadResult loaded = scenario::ParseScenario("assessed.yaml", text, {}, &library);
  EXPECT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  return loaded.scenario.value_or(v1::Scenario());
}

// One assessed run of the test scenario unless a test gives its own.
class AssessedRun : public testing::AssessedRun {
 public:
  explicit AssessedRun(v1::Scenario scenario = LoadScenario())
      : testing::AssessedRun(std::move(scenario)) {}
};

std::vector<uint64_t> EvidenceIds(const v1::ItemGrade& grade) {
  std::vector<uint64_t> ids;
  for (const v1::Evidence& evidence : grade.evidence()) ids.push_back(evidence.event_id());
  return ids;
}

TEST(CriticalActionTest, MetInTimeNamesTheActionAsEvidence) {
  AssessedRun run;
  EXPECT_EQ(run.Grade("Vascular access").grade(), v1::GRADE_PENDING);
  EXPECT_DOUBLE_EQ(run.Grade("Vascular access").deadline_s(), 60);
  const v1::Event access = run.Act(30, ActionOf(v1::ACTION_KIND_IO_ACCESS));
  const v1::ItemGrade grade = run.Grade("Vascular access");
  EXPECT_EQ(grade.grade(), v1::GRADE_MET);
  EXPECT_EQ(EvidenceIds(grade), std::vector<uint64_t>{access.id()});
  EXPECT_DOUBLE_EQ(grade.decided_s(), 30);
  // The decision is an event of the record, caused by the action.
  const std::vector<v1::Event> graded = run.Events(v1::EVENT_KIND_ITEM_GRADED);
  ASSERT_EQ(graded.size(), 1u);
  EXPECT_EQ(graded[0].cause_event_id(), access.id());
  EXPECT_EQ(graded[0].grade().grade(), v1::GRADE_MET);
}

TEST(CriticalActionTest, MissedDeadlineIsAnOmissionEventAtTheDeadlineThenMetLate) {
  AssessedRun run;
  run.RunTo(59.9);
  EXPECT_TRUE(run.Events(v1::EVENT_KIND_OMISSION).empty());
  EXPECT_NEAR(run.Grade("Vascular access").seconds_left(), 0.1, 1e-9);
  run.RunTo(61);
  const std::vector<v1::Event> omissions = run.Events(v1::EVENT_KIND_OMISSION);
  ASSERT_EQ(omissions.size(), 1u);
  EXPECT_DOUBLE_EQ(omissions[0].sim_time_s(), 60);
  EXPECT_EQ(omissions[0].grade().item(), "Vascular access");
  const v1::ItemGrade omitted = run.Grade("Vascular access");
  EXPECT_EQ(omitted.grade(), v1::GRADE_OMITTED);
  EXPECT_EQ(EvidenceIds(omitted), std::vector<uint64_t>{omissions[0].id()});

  const v1::Event late = run.Act(90, ActionOf(v1::ACTION_KIND_IV_ACCESS));
  const v1::ItemGrade grade = run.Grade("Vascular access");
  EXPECT_EQ(grade.grade(), v1::GRADE_MET_LATE);
  // The summary people read says it in words, not "met_late".
  const std::vector<v1::Event> graded = run.Events(v1::EVENT_KIND_ITEM_GRADED);
  ASSERT_FALSE(graded.empty());
  EXPECT_NE(graded.back().summary().find("'Vascular access' met late —"), std::string::npos)
      << graded.back().summary();
  EXPECT_EQ(EvidenceIds(grade), (std::vector<uint64_t>{omissions[0].id(), late.id()}));
}

TEST(CriticalActionTest, WrongDoseIsWrongWithTheReasonUntilPutRight) {
  AssessedRun run;
  run.GoTo(10, "arrest");
  EXPECT_DOUBLE_EQ(run.Grade("Epinephrine in arrest").window_opened_s(), 10);
  EXPECT_DOUBLE_EQ(run.Grade("Epinephrine in arrest").deadline_s(), 40);
  run.Act(15, Drug("epinephrine", 0.4, "IV"));  // 0.02 mg/kg
  v1::ItemGrade grade = run.Grade("Epinephrine in arrest");
  EXPECT_EQ(grade.grade(), v1::GRADE_WRONG);
  EXPECT_NE(grade.reason().find("dose 0.02 mg/kg is above 0.0095-0.0105 mg/kg"), std::string::npos)
      << grade.reason();
  run.Act(25, Drug("epinephrine", 0.2, "IO"));
  EXPECT_EQ(run.Grade("Epinephrine in arrest").grade(), v1::GRADE_MET);
  // No omission: the deadline passed with the item met.
  run.RunTo(50);
  EXPECT_TRUE(run.Events(v1::EVENT_KIND_OMISSION).empty());
}

TEST(CriticalActionTest, ATenfoldDoseIsWrongWhenGivenThoughALooserItemMeetsIt) {
  AssessedRun run(LoadScenario(kCompanionScenario));
  const v1::Event tenfold = run.Act(10, Drug("epinephrine", 2.0, "IV"));  // 0.1 mg/kg
  // "Epinephrine given" asks for no dose and is met; the dose item is wrong
  // now, at the moment of the dose, not omitted at its deadline.
  EXPECT_EQ(run.Grade("Epinephrine given").grade(), v1::GRADE_MET);
  const v1::ItemGrade grade = run.Grade("Epinephrine 0.01 mg/kg");
  EXPECT_EQ(grade.grade(), v1::GRADE_WRONG);
  EXPECT_DOUBLE_EQ(grade.decided_s(), 10);
  EXPECT_EQ(EvidenceIds(grade), std::vector<uint64_t>{tenfold.id()});
  EXPECT_NE(grade.reason().find("dose 0.1 mg/kg is above 0.0095-0.0105 mg/kg"), std::string::npos)
      << grade.reason();
  run.RunTo(61);
  // The first shock and access are omitted at 60 s; the dose item is not.
  for (const v1::Event& omission : run.Events(v1::EVENT_KIND_OMISSION)) {
    EXPECT_NE(omission.grade().item(), "Epinephrine 0.01 mg/kg");
  }
  EXPECT_EQ(run.Events(v1::EVENT_KIND_OMISSION).size(), 2u);
  EXPECT_EQ(run.Grade("Epinephrine 0.01 mg/kg").grade(), v1::GRADE_WRONG);
}

TEST(CriticalActionTest, ADoseWrongOnlyByTheScenariosRangeIsWrongDespiteALooserCompanion) {
  // No guideline table: the dose check says nothing, and the companion that
  // asks for no dose still excuses nothing.
  v1::Scenario scenario = LoadScenario(kCompanionScenario);
  scenario.clear_guidelines();
  AssessedRun run(std::move(scenario));
  run.Act(10, Drug("epinephrine", 0.4, "IV"));  // 0.02 mg/kg
  EXPECT_EQ(run.Grade("Epinephrine given").grade(), v1::GRADE_MET);
  EXPECT_EQ(run.Grade("Epinephrine 0.01 mg/kg").grade(), v1::GRADE_WRONG);
}

TEST(CriticalActionTest, AnotherItemsStepOnTheSameConditionIsNoWrongAttempt) {
  AssessedRun run(LoadScenario(kCompanionScenario));
  v1::LearnerAction shock = ActionOf(v1::ACTION_KIND_DEFIBRILLATION);
  shock.set_energy_j(40);  // 2 J/kg: the first shock, no failed 4 J/kg second shock
  run.Act(10, shock);
  EXPECT_EQ(run.Grade("First shock 2 J/kg").grade(), v1::GRADE_MET);
  EXPECT_EQ(run.Grade("Second shock 4 J/kg").grade(), v1::GRADE_PENDING);
  shock.set_energy_j(80);
  run.Act(70, shock);
  EXPECT_EQ(run.Grade("Second shock 4 J/kg").grade(), v1::GRADE_MET);
}

TEST(CriticalActionTest, AWindowThatNeverOpensIsNotApplicable) {
  AssessedRun run;
  run.Act(5, Drug("epinephrine", 0.2, "IV"));  // before the arrest: does not count
  EXPECT_EQ(run.Grade("Epinephrine in arrest").grade(), v1::GRADE_PENDING);
  run.End(20);
  const v1::ItemGrade grade = run.Grade("Epinephrine in arrest");
  EXPECT_EQ(grade.grade(), v1::GRADE_NOT_APPLICABLE);
  EXPECT_NE(grade.reason().find("entering 'arrest' never happened"), std::string::npos)
      << grade.reason();
}

TEST(CriticalActionTest, AVitalCrossingOpensTheWindow) {
  AssessedRun run;
  run.RunTo(30);
  EXPECT_FALSE(run.Grade("Oxygen for hypoxia").has_deadline_s());
  run.GoTo(30, "hypoxic");  // SpO2 jumps to 82 %
  run.RunTo(31);
  const v1::ItemGrade open = run.Grade("Oxygen for hypoxia");
  ASSERT_TRUE(open.has_window_opened_s());
  EXPECT_NEAR(open.window_opened_s(), 30, 0.11);
  run.Act(40, ActionOf(v1::ACTION_KIND_OXYGEN));
  EXPECT_EQ(run.Grade("Oxygen for hypoxia").grade(), v1::GRADE_MET);
}

TEST(OtherActionTest, AFreeTextNoteSatisfiesNoKindSpecificRule) {
  AssessedRun run(LoadScenario(kCompanionScenario));
  run.Act(5, Note("IO access obtained"));
  run.Act(6, Note("epinephrine 0.2 mg IV"));
  run.Act(7, Drug("epinephrine", 0.2, "IV"));
  EXPECT_EQ(run.Grade("Vascular access").grade(), v1::GRADE_PENDING);
  // The note of access did not come first: epinephrine came before any access.
  EXPECT_EQ(run.Grade("Access before epinephrine").grade(), v1::GRADE_WRONG);
}

TEST(OtherActionTest, ANoteIsLoggedWithItsTextAndDosesAsPlainNumbers) {
  v1::LearnerAction note = Note("called the PICU");
  note.set_performer("Dr. Osei");
  EXPECT_EQ(DescribeAction(note), "other: called the PICU by Dr. Osei");
  EXPECT_EQ(DescribeAction(Drug("ceftriaxone", 9000, "IV")), "drug ceftriaxone 9000 mg IV");
  EXPECT_EQ(DescribeAction(Drug("epinephrine", 0.34, "IO")), "drug epinephrine 0.34 mg IO");
}

TEST(OtherActionTest, ARuleWaitingForKindOtherIsMetByNoNote) {
  // The checks refuse `kind: other` in a condition (assessment_checks_test);
  // a scenario that skipped them (an old record) still gets no match.
  v1::Scenario scenario = LoadScenario(kCompanionScenario);
  scenario.mutable_order_constraints(0)->mutable_first(0)->set_kind(v1::ACTION_KIND_OTHER);
  scenario.mutable_critical_actions(4)->mutable_action()->set_kind(v1::ACTION_KIND_OTHER);
  AssessedRun run(std::move(scenario));
  run.Act(5, Note("called the PICU"));
  run.Act(7, Drug("epinephrine", 0.2, "IV"));
  const v1::ItemGrade access = run.Grade("Vascular access");
  EXPECT_EQ(access.grade(), v1::GRADE_PENDING);  // neither met nor a wrong attempt
  EXPECT_TRUE(access.evidence().empty());
  EXPECT_EQ(run.Grade("Access before epinephrine").grade(), v1::GRADE_WRONG);
}

TEST(OrderConstraintTest, TheSecondStepBeforeTheFirstIsWrong) {
  AssessedRun run;
  const v1::Event antibiotic = run.Act(10, Drug("ceftriaxone", 1000, "IV"));
  const v1::ItemGrade grade = run.Grade("Access before antibiotics");
  EXPECT_EQ(grade.grade(), v1::GRADE_WRONG);
  EXPECT_EQ(EvidenceIds(grade), std::vector<uint64_t>{antibiotic.id()});
}

TEST(OrderConstraintTest, InOrderIsMetWithBothStepsAsEvidence) {
  AssessedRun run;
  const v1::Event access = run.Act(10, ActionOf(v1::ACTION_KIND_IV_ACCESS));
  const v1::Event antibiotic = run.Act(20, Drug("ceftriaxone", 1000, "IV"));
  const v1::ItemGrade grade = run.Grade("Access before antibiotics");
  EXPECT_EQ(grade.grade(), v1::GRADE_MET);
  EXPECT_EQ(EvidenceIds(grade), (std::vector<uint64_t>{access.id(), antibiotic.id()}));
}

TEST(OrderConstraintTest, NeverTakingTheSecondStepLeavesNothingToJudge) {
  AssessedRun run;
  run.Act(10, ActionOf(v1::ACTION_KIND_IV_ACCESS));
  run.End(20);
  EXPECT_EQ(run.Grade("Access before antibiotics").grade(), v1::GRADE_NOT_APPLICABLE);
}

TEST(CommissionTest, AHarmfulActionInItsStatesIsWrong) {
  AssessedRun run;
  const v1::Event shock = run.Act(5, ActionOf(v1::ACTION_KIND_DEFIBRILLATION));
  const v1::ItemGrade grade = run.Grade("No shock with a pulse");
  EXPECT_EQ(grade.grade(), v1::GRADE_WRONG);
  EXPECT_EQ(EvidenceIds(grade), std::vector<uint64_t>{shock.id()});
}

TEST(CommissionTest, TheSameActionElsewhereIsNoErrorAndTheRuleIsMetAtTheEnd) {
  AssessedRun run;
  run.GoTo(5, "arrest");
  run.Act(10, ActionOf(v1::ACTION_KIND_DEFIBRILLATION));
  EXPECT_EQ(run.Grade("No shock with a pulse").grade(), v1::GRADE_PENDING);
  run.End(20);
  EXPECT_EQ(run.Grade("No shock with a pulse").grade(), v1::GRADE_MET);
}

TEST(CommissionTest, FluidOverTheLimitIsWrongWithEveryBolusAsEvidence) {
  AssessedRun run;
  std::vector<uint64_t> boluses;
  for (int i = 0; i < 3; ++i) boluses.push_back(run.Act(10 + i * 60, Fluid(400)).id());
  EXPECT_EQ(run.Grade("At most 60 mL/kg in 10 minutes").grade(), v1::GRADE_PENDING);
  boluses.push_back(run.Act(300, Fluid(100)).id());  // 65 mL/kg
  const v1::ItemGrade grade = run.Grade("At most 60 mL/kg in 10 minutes");
  EXPECT_EQ(grade.grade(), v1::GRADE_WRONG);
  EXPECT_EQ(EvidenceIds(grade), boluses);
}

TEST(CommissionTest, FluidAfterTheWindowDoesNotCountAndTheWindowClosingMeetsIt) {
  AssessedRun run;
  run.Act(10, Fluid(1000));  // 50 mL/kg
  run.RunTo(601);
  EXPECT_EQ(run.Grade("At most 60 mL/kg in 10 minutes").grade(), v1::GRADE_MET);
  run.Act(620, Fluid(1000));
  EXPECT_EQ(run.Grade("At most 60 mL/kg in 10 minutes").grade(), v1::GRADE_MET);
}

TEST(CommissionTest, ATenfoldDoseIsFlaggedAndGradedWrong) {
  AssessedRun run;
  const v1::Event drug = run.Act(10, Drug("epinephrine", 2.0, "IV"));  // 0.1 mg/kg
  const std::vector<v1::Event> flags = run.Events(v1::EVENT_KIND_DOSE_FLAGGED);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].cause_event_id(), drug.id());
  EXPECT_EQ(flags[0].dose_check().verdict(), v1::DOSE_VERDICT_TENFOLD_OVER);
  const v1::Assessment assessment = run.Assessment();
  ASSERT_EQ(assessment.dose_checks_size(), 1);
  EXPECT_EQ(assessment.dose_checks(0).event_id(), drug.id());
  EXPECT_EQ(assessment.dose_checks(0).flag_event_id(), flags[0].id());
  const v1::ItemGrade grade = run.Grade("No ten-fold epinephrine");
  EXPECT_EQ(grade.grade(), v1::GRADE_WRONG);
  EXPECT_NE(grade.reason().find("TEN-FOLD"), std::string::npos) << grade.reason();
}

TEST(CommissionTest, ACorrectDoseIsNoDoseError) {
  AssessedRun run;
  run.Act(10, Drug("epinephrine", 0.2, "IV"));
  EXPECT_TRUE(run.Events(v1::EVENT_KIND_DOSE_FLAGGED).empty());
  run.End(20);
  EXPECT_EQ(run.Grade("No ten-fold epinephrine").grade(), v1::GRADE_MET);
}

TEST(InstructorItemTest, ScoredOnItsScaleAndOverridable) {
  AssessedRun run;
  assessment::Assessor& assessor = run.simulation().assessor();
  EXPECT_EQ(run.Grade("Leadership").grade(), v1::GRADE_PENDING);
  EXPECT_EQ(assessor.ScoreItem("Leadership", 9, "", "Dr. A").refusal,
            assessment::Change::Refusal::kInvalid);
  EXPECT_EQ(assessor.ScoreItem("Vascular access", 3, "", "Dr. A").refusal,
            assessment::Change::Refusal::kInvalid);
  const assessment::Change unknown = assessor.ScoreItem("Followership", 3, "", "Dr. A");
  EXPECT_EQ(unknown.refusal, assessment::Change::Refusal::kNotFound);
  // The finding: NOT_FOUND without the items to choose from.
  EXPECT_NE(unknown.message.find("the items: "), std::string::npos) << unknown.message;
  EXPECT_NE(unknown.message.find("'Leadership'"), std::string::npos) << unknown.message;
  // Typed as people type: any case, dashes for spaces, a unique prefix.
  EXPECT_EQ(assessor.ScoreItem("leader", 9, "", "Dr. A").refusal,
            assessment::Change::Refusal::kInvalid)
      << "found by its prefix, then refused for the score";
  assessment::Change scored = assessor.ScoreItem("Leadership", 3, "clear roles", "Dr. A");
  ASSERT_EQ(scored.refusal, assessment::Change::Refusal::kNone);
  EXPECT_EQ(scored.event.kind(), v1::EVENT_KIND_GRADE_OVERRIDDEN);
  EXPECT_EQ(run.Grade("Leadership").grade(), v1::GRADE_MET);  // 3 of 1-5 is the upper half
  EXPECT_EQ(run.Grade("Leadership").score(), 3);
  assessor.ScoreItem("Leadership", 2, "", "Dr. A");
  EXPECT_EQ(run.Grade("Leadership").grade(), v1::GRADE_WRONG);

  run.RunTo(61);  // vascular access omitted
  assessment::Change overridden = assessor.OverrideGrade(
      "Vascular access", v1::GRADE_NOT_APPLICABLE, "IO was in place from the ambulance", "Dr. B");
  ASSERT_EQ(overridden.refusal, assessment::Change::Refusal::kNone);
  run.simulation().Record(overridden.event);
  const v1::ItemGrade grade = run.Grade("Vascular access");
  EXPECT_EQ(grade.grade(), v1::GRADE_NOT_APPLICABLE);
  EXPECT_EQ(grade.override().original_grade(), v1::GRADE_OMITTED);
  EXPECT_EQ(grade.override().instructor(), "Dr. B");
  EXPECT_EQ(grade.override().comment(), "IO was in place from the ambulance");
  // The instructor's grade stands against later actions.
  run.Act(70, ActionOf(v1::ACTION_KIND_IV_ACCESS));
  EXPECT_EQ(run.Grade("Vascular access").grade(), v1::GRADE_NOT_APPLICABLE);
}

TEST(AssessmentStreamTest, GradesAndCountdownsReachTheOutletAndTotalsAddUp) {
  AssessedRun run;
  run.Act(10, ActionOf(v1::ACTION_KIND_IV_ACCESS));
  run.RunTo(20);
  std::vector<double> seconds_left;
  for (const v1::SessionUpdate& update : run.updates()) {
    if (!update.has_assessment()) continue;
    for (const v1::ItemGrade& item : update.assessment().items()) {
      if (item.item() == "Vascular access" && item.has_seconds_left()) {
        seconds_left.push_back(item.seconds_left());
      }
    }
  }
  ASSERT_GE(seconds_left.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seconds_left.rbegin(), seconds_left.rend()));

  const v1::Assessment assessment = run.Assessment();
  for (const v1::CompetencyTotal& total : assessment.competencies()) {
    if (total.competency() != v1::COMPETENCY_PATIENT_CARE) continue;
    EXPECT_EQ(total.items(), 4u);  // access, epinephrine, oxygen, fluids
    EXPECT_EQ(total.met(), 1u);
    EXPECT_DOUBLE_EQ(total.score_pct(), 100);
  }
}

TEST(AssessmentStreamTest, SameInputsGradeTheSameBitForBit) {
  auto trace = [] {
    AssessedRun run;
    run.Act(10, Drug("ceftriaxone", 1000, "IV"));
    run.GoTo(20, "arrest");
    run.Act(25, Drug("epinephrine", 2.0, "IV"));
    run.End(100);
    std::string bytes;
    for (v1::Event event : run.simulation().events()) {
      event.clear_wall_time();
      bytes += event.SerializeAsString();
    }
    return bytes + run.Assessment().SerializeAsString();
  };
  EXPECT_EQ(trace(), trace());
}

}  // namespace
}  // namespace pedisim::session

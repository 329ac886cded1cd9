// What learners see of a recording: no grade of any kind before release,
// in replayed updates and in reports alike.

#include "controller/services/debrief_visibility.h"

#include <gtest/gtest.h>

namespace pedisim::services {
namespace {

v1::Assessment GradedAssessment(bool released) {
  v1::Assessment assessment;
  assessment.set_released(released);
  v1::ItemGrade& item = *assessment.add_items();
  item.set_item("Oxygen");
  item.set_grade(v1::GRADE_WRONG);
  item.set_reason("given after the deadline");
  item.set_measured_from("entering 'peri-arrest'");
  return assessment;
}

v1::Event GradeEvent() {
  v1::Event event;
  event.set_kind(v1::EVENT_KIND_ITEM_GRADED);
  event.set_summary("graded: 'Oxygen' wrong");
  event.mutable_grade()->set_grade(v1::GRADE_WRONG);
  return event;
}

TEST(DebriefVisibilityTest, LearnersNeverSeeWhatTheScenarioWaitsFor) {
  v1::Event scheduled;
  scheduled.set_kind(v1::EVENT_KIND_TRANSITION_SCHEDULED);
  scheduled.set_summary("'better' in 5 s: oxygen");
  for (const bool released : {false, true}) {
    v1::SessionUpdate update;
    *update.mutable_event() = scheduled;
    EXPECT_FALSE(ShowLearner(&update, released)) << "released " << released;

    v1::SessionUpdate entered;
    entered.mutable_event()->set_kind(v1::EVENT_KIND_STATE_ENTERED);
    EXPECT_TRUE(ShowLearner(&entered, released)) << "released " << released;

    recording::SessionDigest digest;
    digest.events = {scheduled, entered.event()};
    digest.assessment = GradedAssessment(released);
    ShowLearner(&digest);
    ASSERT_EQ(digest.events.size(), 1u);
    EXPECT_EQ(digest.events[0].kind(), v1::EVENT_KIND_STATE_ENTERED);
  }
}

TEST(DebriefVisibilityTest, LearnersSeeADrugsModelledEffectOnlyOnTheMonitor) {
  v1::Event effect;
  effect.set_kind(v1::EVENT_KIND_DRUG_EFFECT);
  effect.set_summary("epinephrine 1.2 mg IM (ten times the usual dose: 0.12 mg at 12 kg)");
  effect.mutable_drug_effect()->set_dose_multiple(10);
  v1::VitalsSample sample;
  sample.mutable_vitals()->set_heart_rate_bpm(232);
  v1::DrugLevel& level = *sample.add_drug_levels();
  level.set_drug("epinephrine");
  level.mutable_changes()->set_heart_rate_bpm(50);
  for (const bool released : {false, true}) {
    v1::SessionUpdate update;
    *update.mutable_event() = effect;
    EXPECT_FALSE(ShowLearner(&update, released)) << "released " << released;

    v1::SessionUpdate vitals;
    *vitals.mutable_vitals() = sample;
    EXPECT_TRUE(ShowLearner(&vitals, released));
    EXPECT_EQ(vitals.vitals().vitals().heart_rate_bpm(), 232) << "the monitor shows the number";
    EXPECT_EQ(vitals.vitals().drug_levels_size(), 0) << "but not the drug behind it";

    recording::SessionDigest digest;
    digest.events = {effect};
    digest.vitals = {sample};
    ShowLearner(&digest);
    EXPECT_TRUE(digest.events.empty());
    ASSERT_EQ(digest.vitals.size(), 1u);
    EXPECT_EQ(digest.vitals[0].drug_levels_size(), 0);
  }
}

// The instructor's report names the dose behind each change; the learner's
// has no such section before or after release.
TEST(DebriefVisibilityTest, TheReportNamesTheDrugBehindAChangeForInstructorsOnly) {
  recording::SessionDigest digest;
  digest.duration_s = 30;
  v1::Event& dose = digest.events.emplace_back();
  dose.set_id(7);
  dose.set_sim_time_s(10);
  dose.set_kind(v1::EVENT_KIND_DRUG_EFFECT);
  dose.set_summary("epinephrine 1.2 mg IM (ten times the usual dose: 0.12 mg at 12 kg)");
  dose.mutable_drug_effect()->set_drug("epinephrine");
  for (const double heart_rate : {170.0, 232.0, 220.0}) {
    v1::VitalsSample& sample = digest.vitals.emplace_back();
    sample.set_sim_time_s(10 + 10 * static_cast<double>(digest.vitals.size()));
    sample.mutable_vitals()->set_heart_rate_bpm(heart_rate);
    v1::DrugLevel& level = *sample.add_drug_levels();
    level.set_drug("epinephrine");
    level.set_cause_event_id(7);
    level.mutable_changes()->set_heart_rate_bpm(heart_rate - 168);
  }
  const std::string report = recording::RenderHtmlReport(digest);
  EXPECT_NE(report.find("Drug effects"), std::string::npos);
  EXPECT_NE(report.find("HR +64 (232 bpm at 00:30)"), std::string::npos) << report;
  EXPECT_NE(report.find("ten times the usual dose"), std::string::npos);

  for (const bool released : {false, true}) {
    recording::SessionDigest learners = digest;
    v1::Assessment assessment;
    assessment.set_released(released);
    learners.assessment = assessment;
    ShowLearner(&learners);
    const std::string shown = recording::RenderHtmlReport(learners);
    EXPECT_EQ(shown.find("Drug effects"), std::string::npos) << "released " << released;
    EXPECT_EQ(shown.find("ten times"), std::string::npos) << "released " << released;
  }
}

TEST(DebriefVisibilityTest, LearnersSeeAShocksOutcomeOnlyOnTheMonitor) {
  v1::Event outcome;
  outcome.set_kind(v1::EVENT_KIND_SHOCK_OUTCOME);
  outcome.set_summary("shock 1 at 1.9 J/kg did not terminate VF (odds 30 %)");
  outcome.mutable_shock_outcome()->set_success_probability(0.3);
  for (const bool released : {false, true}) {
    v1::SessionUpdate update;
    *update.mutable_event() = outcome;
    EXPECT_FALSE(ShowLearner(&update, released)) << "released " << released;
    EXPECT_FALSE(IsAssessmentEvent(outcome)) << "instructors see it live, not as a grade";
  }
}

TEST(DebriefVisibilityTest, BeforeReleaseLearnersSeeNoGradeAnywhere) {
  v1::SessionUpdate graded;
  *graded.mutable_event() = GradeEvent();
  EXPECT_FALSE(ShowLearner(&graded, /*released=*/false));
  for (v1::EventKind kind :
       {v1::EVENT_KIND_OMISSION, v1::EVENT_KIND_DOSE_FLAGGED, v1::EVENT_KIND_GRADE_OVERRIDDEN}) {
    v1::SessionUpdate update;
    update.mutable_event()->set_kind(kind);
    EXPECT_FALSE(ShowLearner(&update, false)) << kind;
  }
  v1::SessionUpdate action;
  action.mutable_event()->set_kind(v1::EVENT_KIND_LEARNER_ACTION);
  EXPECT_TRUE(ShowLearner(&action, false));

  v1::SessionUpdate assessment;
  *assessment.mutable_assessment() = GradedAssessment(false);
  ASSERT_TRUE(ShowLearner(&assessment, false));
  EXPECT_TRUE(assessment.assessment().withheld());
  EXPECT_EQ(assessment.assessment().items(0).reason(), "");
  // A window's start may name a state the scenario has not reached.
  EXPECT_EQ(assessment.assessment().items(0).measured_from(), "");

  v1::SessionUpdate snapshot;
  *snapshot.mutable_snapshot()->mutable_assessment() = GradedAssessment(false);
  ASSERT_TRUE(ShowLearner(&snapshot, false));
  EXPECT_TRUE(snapshot.snapshot().assessment().withheld());

  recording::SessionDigest digest;
  digest.events = {GradeEvent(), action.event()};
  digest.assessment = GradedAssessment(false);
  *digest.final_session.mutable_assessment() = GradedAssessment(false);
  ShowLearner(&digest);
  ASSERT_EQ(digest.events.size(), 1u);
  EXPECT_EQ(digest.events[0].kind(), v1::EVENT_KIND_LEARNER_ACTION);
  EXPECT_TRUE(digest.assessment->withheld());
  EXPECT_TRUE(digest.final_session.assessment().withheld());
}

TEST(DebriefVisibilityTest, AfterReleaseLearnersSeeTheirGrades) {
  v1::SessionUpdate graded;
  *graded.mutable_event() = GradeEvent();
  EXPECT_TRUE(ShowLearner(&graded, /*released=*/true));
  v1::SessionUpdate assessment;
  // Released at the end: earlier assessments in the replay show too.
  *assessment.mutable_assessment() = GradedAssessment(false);
  ASSERT_TRUE(ShowLearner(&assessment, true));
  EXPECT_FALSE(assessment.assessment().withheld());
  EXPECT_EQ(assessment.assessment().items(0).grade(), v1::GRADE_WRONG);
  EXPECT_EQ(assessment.assessment().items(0).measured_from(), "entering 'peri-arrest'");
}

}  // namespace
}  // namespace pedisim::services

// AssessmentService and the report through a real controller: grades as
// the instructor and the learners see them, overrides logged with who,
// release, the assessment in Watch snapshots, and `pedisimctl session report`.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "controller_process.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

class AssessmentServiceTest : public ::testing::Test {
 protected:
  AssessmentServiceTest()
      : controller_(PEDISIM_TEST_ASSESSMENT_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        assessments_(v1::AssessmentService::NewStub(controller_.channel())) {}

  std::string StartSession() {
    v1::CreateSessionRequest create;
    create.set_scenario_id("assessed");
    v1::Session session;
    grpc::ClientContext context;
    EXPECT_TRUE(sessions_->Create(&context, create, &session).ok());
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    grpc::ClientContext start_context;
    EXPECT_TRUE(sessions_->Start(&start_context, ref, &session).ok());
    return session.id();
  }

  v1::Event Give(const std::string& session_id, double epinephrine_mg) {
    v1::LogActionRequest request;
    request.set_session_id(session_id);
    request.mutable_action()->set_kind(v1::ACTION_KIND_DRUG);
    request.mutable_action()->set_drug("epinephrine");
    request.mutable_action()->set_dose_mg(epinephrine_mg);
    request.mutable_action()->set_route("IV");
    v1::Event event;
    grpc::ClientContext context;
    EXPECT_TRUE(sessions_->LogAction(&context, request, &event).ok());
    return event;
  }

  v1::Assessment Get(const std::string& session_id, v1::ViewerRole role) {
    v1::GetAssessmentRequest request;
    request.set_session_id(session_id);
    request.set_viewer_role(role);
    v1::Assessment assessment;
    grpc::ClientContext context;
    EXPECT_TRUE(assessments_->GetAssessment(&context, request, &assessment).ok());
    return assessment;
  }

  static const v1::ItemGrade* Item(const v1::Assessment& assessment, const std::string& name) {
    for (const v1::ItemGrade& item : assessment.items()) {
      if (item.item() == name) return &item;
    }
    return nullptr;
  }

  grpc::Status Override(const v1::OverrideGradeRequest& request, v1::Event* event) {
    grpc::ClientContext context;
    return assessments_->OverrideGrade(&context, request, event);
  }

  // Runs pedisimctl against the controller; its output and exit code.
  std::pair<std::string, int> Ctl(const std::string& arguments) {
    CommandResult result =
        RunCommand(std::string(PEDISIM_CTL_BIN) + " --controller " + controller_.address() +
                   " --token-file " + controller_.admin_token_file().string() + " " + arguments);
    return {std::move(result.output), result.exit_code};
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
};

TEST_F(AssessmentServiceTest, TenfoldDoseIsFlaggedAndLearnersSeeGradesOnlyOnceReleased) {
  const std::string id = StartSession();
  const v1::Event drug = Give(id, 2.0);  // 0.1 mg/kg

  const v1::Assessment instructor = Get(id, v1::VIEWER_ROLE_INSTRUCTOR);
  ASSERT_EQ(instructor.dose_checks_size(), 1);
  EXPECT_EQ(instructor.dose_checks(0).verdict(), v1::DOSE_VERDICT_TENFOLD_OVER);
  EXPECT_EQ(instructor.dose_checks(0).event_id(), drug.id());
  const v1::ItemGrade* tenfold = Item(instructor, "No ten-fold epinephrine dose");
  ASSERT_NE(tenfold, nullptr);
  EXPECT_EQ(tenfold->grade(), v1::GRADE_WRONG);
  ASSERT_EQ(tenfold->evidence_size(), 1);
  EXPECT_EQ(tenfold->evidence(0).event_id(), drug.id());

  const v1::Assessment learner = Get(id, v1::VIEWER_ROLE_LEARNER);
  EXPECT_TRUE(learner.withheld());
  EXPECT_EQ(learner.dose_checks_size(), 0);
  ASSERT_NE(Item(learner, "No ten-fold epinephrine dose"), nullptr);
  EXPECT_EQ(Item(learner, "No ten-fold epinephrine dose")->grade(), v1::GRADE_UNSPECIFIED);

  v1::ReleaseScoresRequest release;
  release.set_session_id(id);
  release.set_instructor("Dr. Osei");
  v1::Event released;
  grpc::ClientContext context;
  ASSERT_TRUE(assessments_->ReleaseScores(&context, release, &released).ok());
  EXPECT_EQ(released.kind(), v1::EVENT_KIND_ASSESSMENT_VISIBILITY);
  const v1::Assessment after = Get(id, v1::VIEWER_ROLE_LEARNER);
  EXPECT_FALSE(after.withheld());
  EXPECT_EQ(Item(after, "No ten-fold epinephrine dose")->grade(), v1::GRADE_WRONG);
}

// Reads `reader` up to and including the first event of `kind`; the
// events read on the way.
std::vector<v1::Event> ReadUntil(grpc::ClientReader<v1::SessionUpdate>& reader, v1::EventKind kind,
                                 std::vector<v1::Assessment>* assessments) {
  std::vector<v1::Event> events;
  v1::SessionUpdate update;
  while (reader.Read(&update)) {
    if (update.has_assessment()) assessments->push_back(update.assessment());
    if (update.has_snapshot()) assessments->push_back(update.snapshot().assessment());
    if (!update.has_event()) continue;
    events.push_back(update.event());
    if (update.event().kind() == kind) break;
  }
  return events;
}

TEST_F(AssessmentServiceTest, ALearnerSeesNoScoreUntilTheyAreReleasedInWatchGetOrList) {
  const std::string lee = controller_.AddUserWithToken("Nurse Lee", "learner");
  v1::CreateSessionRequest create;
  create.set_scenario_id("assessed");
  create.add_participants()->set_name("Nurse Lee");
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions_->Create(&context, create, &session).ok());
  }
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions_->Start(&context, ref, &session).ok());
  }
  Give(session.id(), 2.0);  // ten-fold: flagged and graded wrong
  v1::AddBookmarkRequest mark;
  mark.set_session_id(session.id());
  mark.set_label("after the dose");
  {
    v1::Event bookmark;
    grpc::ClientContext context;
    ASSERT_TRUE(sessions_->AddBookmark(&context, mark, &bookmark).ok());
  }

  auto watch = [&](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* context) {
    v1::WatchRequest request;
    request.set_session_id(session.id());
    request.set_after_event_id(0);  // the whole history
    return v1::SessionService::NewStub(channel)->Watch(context, request);
  };
  auto has_scores = [](const std::vector<v1::Event>& events) {
    return std::any_of(events.begin(), events.end(), [](const v1::Event& event) {
      return event.kind() == v1::EVENT_KIND_DOSE_FLAGGED ||
             event.kind() == v1::EVENT_KIND_ITEM_GRADED;
    });
  };
  grpc::ClientContext staff_context;
  auto staff = watch(controller_.channel(), &staff_context);
  std::vector<v1::Assessment> staff_assessments;
  EXPECT_TRUE(has_scores(ReadUntil(*staff, v1::EVENT_KIND_BOOKMARK, &staff_assessments)))
      << "the instructor sees the flag and the grade";

  grpc::ClientContext learner_context;
  auto learner = watch(controller_.ChannelWithToken(lee), &learner_context);
  std::vector<v1::Assessment> learner_assessments;
  const std::vector<v1::Event> before =
      ReadUntil(*learner, v1::EVENT_KIND_BOOKMARK, &learner_assessments);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before.back().kind(), v1::EVENT_KIND_BOOKMARK);
  EXPECT_FALSE(has_scores(before)) << "no grade or dose flag before the release";
  EXPECT_TRUE(std::any_of(before.begin(), before.end(), [](const v1::Event& event) {
    return event.kind() == v1::EVENT_KIND_LEARNER_ACTION;
  })) << "the learner still sees what the team did";
  ASSERT_FALSE(learner_assessments.empty());
  for (const v1::Assessment& assessment : learner_assessments) {
    EXPECT_EQ(assessment.dose_checks_size(), 0);
    for (const v1::ItemGrade& item : assessment.items()) {
      EXPECT_EQ(item.grade(), v1::GRADE_UNSPECIFIED) << item.item();
    }
  }

  // Get and List show the learner the same: no score, and nothing of what
  // only the room needs (the devices' pairing code, what the scenario waits for).
  auto learner_sessions = v1::SessionService::NewStub(controller_.ChannelWithToken(lee));
  v1::Session staff_view;
  v1::Session learner_view;
  v1::ListSessionsResponse learner_list;
  {
    grpc::ClientContext staff_get;
    ASSERT_TRUE(sessions_->Get(&staff_get, ref, &staff_view).ok());
    grpc::ClientContext learner_get;
    ASSERT_TRUE(learner_sessions->Get(&learner_get, ref, &learner_view).ok());
    grpc::ClientContext learner_list_context;
    ASSERT_TRUE(learner_sessions->List(&learner_list_context, {}, &learner_list).ok());
  }
  EXPECT_FALSE(staff_view.pairing_code().empty());
  EXPECT_GT(staff_view.assessment().dose_checks_size(), 0);
  ASSERT_EQ(learner_list.sessions_size(), 1);
  for (const v1::Session& seen : {learner_view, learner_list.sessions(0)}) {
    EXPECT_TRUE(seen.pairing_code().empty());
    EXPECT_EQ(seen.pending_transitions_size(), 0);
    EXPECT_TRUE(seen.data_path().empty());
    EXPECT_EQ(seen.assessment().dose_checks_size(), 0);
    for (const v1::ItemGrade& item : seen.assessment().items()) {
      EXPECT_EQ(item.grade(), v1::GRADE_UNSPECIFIED) << item.item();
    }
  }

  v1::ReleaseScoresRequest release;
  release.set_session_id(session.id());
  release.set_instructor("Dr. Osei");
  {
    v1::Event released;
    grpc::ClientContext context;
    ASSERT_TRUE(assessments_->ReleaseScores(&context, release, &released).ok());
  }
  learner_assessments.clear();
  const std::vector<v1::Event> release_events =
      ReadUntil(*learner, v1::EVENT_KIND_ASSESSMENT_VISIBILITY, &learner_assessments);
  ASSERT_FALSE(release_events.empty()) << "the release itself reaches the learner";
  EXPECT_EQ(release_events.back().kind(), v1::EVENT_KIND_ASSESSMENT_VISIBILITY);
  // The assessment that follows the release shows the grade.
  v1::SessionUpdate update;
  while (learner->Read(&update) && !update.has_assessment()) {
  }
  ASSERT_TRUE(update.has_assessment());
  EXPECT_TRUE(update.assessment().released());
  ASSERT_NE(Item(update.assessment(), "No ten-fold epinephrine dose"), nullptr);
  EXPECT_EQ(Item(update.assessment(), "No ten-fold epinephrine dose")->grade(), v1::GRADE_WRONG);

  staff_context.TryCancel();
  learner_context.TryCancel();
  while (staff->Read(&update)) {
  }
  while (learner->Read(&update)) {
  }
  staff->Finish();
  learner->Finish();
}

TEST_F(AssessmentServiceTest, OverridesNeedWhyAndAreLoggedUnderTheCallersAccount) {
  const std::string id = StartSession();
  v1::OverrideGradeRequest request;
  request.set_session_id(id);
  request.set_item("Vascular access");
  request.set_grade(v1::GRADE_NOT_APPLICABLE);
  v1::Event event;
  grpc::Status status = Override(request, &event);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("comment:", 0), 0u) << status.error_message();

  request.set_comment("IO in place from the ambulance");
  request.set_item("Vascular axcess");
  status = Override(request, &event);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message().rfind("item:", 0), 0u) << status.error_message();

  // An instructor's own account names them.
  request.set_item("Vascular access");
  auto as_osei = v1::AssessmentService::NewStub(
      controller_.ChannelWithToken(controller_.AddUserWithToken("Dr. Osei", "instructor")));
  grpc::ClientContext osei_context;
  ASSERT_TRUE(as_osei->OverrideGrade(&osei_context, request, &event).ok());
  EXPECT_EQ(event.kind(), v1::EVENT_KIND_GRADE_OVERRIDDEN);
  EXPECT_EQ(event.agent(), v1::AGENT_INSTRUCTOR);
  EXPECT_EQ(event.source(), "Dr. Osei");
  const v1::Assessment assessment = Get(id, v1::VIEWER_ROLE_INSTRUCTOR);
  const v1::ItemGrade* item = Item(assessment, "Vascular access");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->grade(), v1::GRADE_NOT_APPLICABLE);
  EXPECT_EQ(item->override().original_grade(), v1::GRADE_PENDING);
  EXPECT_EQ(item->override().instructor(), "Dr. Osei");

  // A name in the request does not hide the account that sent it, nor can
  // it fake the account.
  request.set_grade(v1::GRADE_MET);
  request.set_instructor("Dr. Osei (signed in as dr.osei)");
  status = Override(request, &event);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "instructor: no parentheses");
  request.set_instructor("Dr. Osei");
  ASSERT_TRUE(Override(request, &event).ok());
  EXPECT_EQ(event.source(), "Dr. Osei (signed in as admin)");
  const v1::Assessment changed = Get(id, v1::VIEWER_ROLE_INSTRUCTOR);
  ASSERT_NE(Item(changed, "Vascular access"), nullptr);
  EXPECT_EQ(Item(changed, "Vascular access")->override().instructor(),
            "Dr. Osei (signed in as admin)");

  v1::ScoreItemRequest score;
  score.set_session_id(id);
  score.set_item("Leadership");
  score.set_score(6);
  score.set_instructor("Dr. Osei");
  grpc::ClientContext context;
  status = assessments_->ScoreItem(&context, score, &event);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("score:", 0), 0u) << status.error_message();
}

TEST_F(AssessmentServiceTest, WatchSnapshotsCarryTheAssessment) {
  const std::string id = StartSession();
  v1::WatchRequest request;
  request.set_session_id(id);
  grpc::ClientContext context;
  auto reader = sessions_->Watch(&context, request);
  v1::SessionUpdate first;
  ASSERT_TRUE(reader->Read(&first));
  ASSERT_TRUE(first.has_snapshot());
  EXPECT_EQ(first.snapshot().assessment().items_size(), 3);
  EXPECT_EQ(first.snapshot().assessment().guideline_set(), "test-set");
  context.TryCancel();
}

TEST_F(AssessmentServiceTest, TheReportNamesEachGradeWithItsEvidence) {
  const std::string id = StartSession();
  const v1::Event drug = Give(id, 2.0);
  const auto [report, code] = Ctl("session report " + id);
  EXPECT_EQ(code, 0) << report;
  EXPECT_NE(report.find("wrong          No ten-fold epinephrine dose"), std::string::npos)
      << report;
  EXPECT_NE(report.find("evidence #" + std::to_string(drug.id())), std::string::npos) << report;
  EXPECT_NE(report.find("tenfold over"), std::string::npos) << report;
  EXPECT_NE(report.find("COMPETENCIES"), std::string::npos) << report;
  // The finding: "3 pending" beside "100 %". A percentage says how many
  // items it is of, and competencies read as words.
  const std::string competencies = report.substr(report.find("COMPETENCIES"));
  int scored = 0;
  std::istringstream lines(competencies);
  for (std::string line; std::getline(lines, line) && !line.empty();) {
    if (line.find(" % ") == std::string::npos) continue;
    ++scored;
    EXPECT_NE(line.find(" judged"), std::string::npos) << line;
  }
  EXPECT_GT(scored, 0) << competencies;
  EXPECT_EQ(competencies.find("PATIENT_CARE"), std::string::npos) << competencies;
  EXPECT_EQ(competencies.find("patient_care"), std::string::npos) << competencies;
  // Each deadline says what it is measured from.
  EXPECT_NE(report.find("pending        Vascular access  (deadline 60:00: within 60:00 of "
                        "scenario start)"),
            std::string::npos)
      << report;

  const auto [learner, learner_code] = Ctl("session report " + id + " --as-learner");
  EXPECT_EQ(learner_code, 0);
  EXPECT_NE(learner.find("withheld"), std::string::npos) << learner;
  EXPECT_EQ(learner.find("TEN-FOLD"), std::string::npos) << learner;

  const auto [json, json_code] = Ctl("--json session report " + id);
  EXPECT_EQ(json_code, 0);
  EXPECT_NE(json.find("\"DOSE_VERDICT_TENFOLD_OVER\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"measuredFrom\":\"scenario start\""), std::string::npos) << json;

  const auto [graded, graded_code] =
      Ctl("session grade " + id +
          " 'Vascular access' met --comment 'placed before the call' --instructor 'Dr. Kim'");
  EXPECT_EQ(graded_code, 0) << graded;
  EXPECT_NE(graded.find("Dr. Kim (signed in as admin) set 'Vascular access' to met"),
            std::string::npos)
      << graded;
}

}  // namespace
}  // namespace pedisim::testing

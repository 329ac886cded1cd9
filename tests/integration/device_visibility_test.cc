// What a network device is shown, at the protocol level over gRPC and TCP:
// the learners' view (no grade, dose verdict, omission, override, pending
// transition, pairing code or data path before the scores are released),
// unless a staff account asks for the instructor's view. A device in the
// simulation room is a screen the learners read.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "controller_process.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;

v1::DeviceHello Hello(const std::string& name) {
  v1::DeviceHello hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  hello.set_name(name);
  hello.mutable_identity()->set_manufacturer("Test Devices");
  hello.mutable_identity()->set_model("Room Monitor");
  hello.mutable_identity()->set_serial("SN-" + name);
  hello.mutable_capabilities()->add_senses_actions("ACTION_KIND_DRUG");
  return hello;
}

// Written here rather than taken from the controller, so that the test does
// not share a mistake with the filter it checks.
bool CarriesAssessment(const v1::Event& event) {
  switch (event.kind()) {
    case v1::EVENT_KIND_ITEM_GRADED:
    case v1::EVENT_KIND_OMISSION:
    case v1::EVENT_KIND_DOSE_FLAGGED:
    case v1::EVENT_KIND_GRADE_OVERRIDDEN:
    case v1::EVENT_KIND_ASSESSMENT_VISIBILITY:
      return true;
    default:
      return event.has_grade() || event.has_dose_check();
  }
}

// Whatever in `assessment` a learner may not see before release.
std::vector<std::string> HiddenParts(const v1::Assessment& assessment) {
  std::vector<std::string> found;
  if (assessment.dose_checks_size() > 0) found.push_back("dose checks");
  if (assessment.competencies_size() > 0) found.push_back("competency totals");
  for (const v1::ItemGrade& item : assessment.items()) {
    if (item.grade() != v1::GRADE_UNSPECIFIED) found.push_back("grade of " + item.item());
    if (item.has_score()) found.push_back("score of " + item.item());
    if (!item.evidence().empty()) found.push_back("evidence of " + item.item());
  }
  return found;
}

std::vector<std::string> HiddenParts(const v1::Session& session) {
  std::vector<std::string> found;
  if (!session.pairing_code().empty()) found.push_back("pairing code");
  if (!session.data_path().empty()) found.push_back("data path");
  if (session.pending_transitions_size() > 0) found.push_back("pending transitions");
  if (session.has_assessment()) {
    for (std::string& part : HiddenParts(session.assessment())) found.push_back(part);
  }
  return found;
}

// Everything a learner may not see that `update` carries, before release.
std::vector<std::string> HiddenParts(const v1::SessionUpdate& update) {
  if (update.has_event() && CarriesAssessment(update.event())) {
    return {"assessment event: " + update.event().summary()};
  }
  if (update.has_assessment()) return HiddenParts(update.assessment());
  if (update.has_snapshot()) return HiddenParts(update.snapshot());
  return {};
}

class DeviceVisibilityTest : public ::testing::TestWithParam<DeviceClient::Transport> {
 protected:
  DeviceVisibilityTest()
      : controller_(PEDISIM_TEST_ASSESSMENT_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        assessments_(v1::AssessmentService::NewStub(controller_.channel())) {}

  v1::Session Create() {
    v1::CreateSessionRequest request;
    request.set_scenario_id("assessed");
    v1::Session session;
    grpc::ClientContext context;
    const grpc::Status status = sessions_->Create(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  void Start(const std::string& id) {
    v1::SessionRef ref;
    ref.set_session_id(id);
    v1::Session ignored;
    grpc::ClientContext context;
    ASSERT_TRUE(sessions_->Start(&context, ref, &ignored).ok());
  }

  std::unique_ptr<DeviceClient> Connect(v1::DeviceHello hello, const std::string& token,
                                        grpc::Status* status) {
    DeviceClient::Options options;
    options.transport = GetParam();
    options.address = GetParam() == DeviceClient::Transport::kGrpc
                          ? controller_.address()
                          : "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
    options.hello = std::move(hello);
    options.token = token;
    return DeviceClient::Connect(options, status);
  }

  // Reads `device`'s updates into `seen` until one satisfies `done`; false
  // when the link ended or a minute passed without it (that bounds only a
  // failure: the updates come every simulated second).
  static bool ReadUntil(DeviceClient& device, std::vector<v1::SessionUpdate>* seen,
                        const std::function<bool(const v1::SessionUpdate&)>& done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    v1::ControllerMessage message;
    while (std::chrono::steady_clock::now() < give_up && device.Next(&message)) {
      if (!message.has_update()) continue;
      seen->push_back(message.update());
      if (done(message.update())) return true;
    }
    return false;
  }

  // A mark in the log that every device gets: once a device has it, it has
  // everything published before.
  v1::Event LogMarker(const std::string& id, const std::string& what) {
    v1::LogActionRequest request;
    request.set_session_id(id);
    request.mutable_action()->set_kind(v1::ACTION_KIND_OTHER);
    request.mutable_action()->set_note(what);
    v1::Event event;
    grpc::ClientContext context;
    const grpc::Status status = sessions_->LogAction(&context, request, &event);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return event;
  }

  static std::function<bool(const v1::SessionUpdate&)> EventWithId(uint64_t id) {
    return [id](const v1::SessionUpdate& update) {
      return update.has_event() && update.event().id() == id;
    };
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
};

TEST_P(DeviceVisibilityTest, ADeviceSeesTheLearnersViewUntilTheScoresAreReleased) {
  const v1::Session created = Create();
  ASSERT_FALSE(created.pairing_code().empty());

  // The room's monitor, with a device account, by pairing code; and an
  // instructor's tablet that asks for the instructor's view with an admin
  // token: the control that proves there is something to hide.
  const std::string device_token = controller_.AddUserWithToken("room-monitor", "device");
  v1::DeviceHello room_hello = Hello("monitor");
  room_hello.set_pairing_code(created.pairing_code());
  grpc::Status status;
  std::unique_ptr<DeviceClient> room = Connect(room_hello, device_token, &status);
  ASSERT_NE(room, nullptr) << status.error_message();

  v1::DeviceHello tablet_hello = Hello("tablet");
  tablet_hello.set_session_id(created.id());
  tablet_hello.set_instructor_view(true);
  std::unique_ptr<DeviceClient> tablet = Connect(tablet_hello, controller_.admin_token(), &status);
  ASSERT_NE(tablet, nullptr) << status.error_message();

  // The welcome's snapshot.
  EXPECT_EQ(HiddenParts(room->welcome().snapshot()), std::vector<std::string>{});
  EXPECT_EQ(room->welcome().snapshot().id(), created.id());
  EXPECT_FALSE(tablet->welcome().snapshot().pairing_code().empty());
  EXPECT_FALSE(tablet->welcome().snapshot().data_path().empty());
  EXPECT_GT(tablet->welcome().snapshot().pending_transitions_size(), 0);

  Start(created.id());
  // A ten-fold epinephrine overdose (2 mg for 20 kg) sensed by the room's
  // device: a dose verdict and a commission grade. Then the instructor
  // scores an item: a grade.
  v1::LearnerAction overdose;
  overdose.set_kind(v1::ACTION_KIND_DRUG);
  overdose.set_drug("epinephrine");
  overdose.set_dose_mg(2.0);
  overdose.set_route("IV");
  ASSERT_TRUE(room->SendObservation(overdose));
  std::vector<v1::SessionUpdate> tablet_seen;
  ASSERT_TRUE(ReadUntil(*tablet, &tablet_seen, [](const v1::SessionUpdate& update) {
    return update.has_event() && update.event().kind() == v1::EVENT_KIND_DOSE_FLAGGED;
  }));
  v1::ScoreItemRequest score;
  score.set_session_id(created.id());
  score.set_item("Leadership");
  score.set_score(4);
  v1::Event scored;
  grpc::ClientContext score_context;
  status = assessments_->ScoreItem(&score_context, score, &scored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // A new snapshot (as after a speed change) carries the session's hidden
  // fields again.
  v1::SetSpeedRequest speed;
  speed.set_session_id(created.id());
  speed.set_speed(2);
  v1::Session ignored;
  grpc::ClientContext speed_context;
  ASSERT_TRUE(sessions_->SetSpeed(&speed_context, speed, &ignored).ok());

  const v1::Event before_release = LogMarker(created.id(), "before release");
  std::vector<v1::SessionUpdate> room_seen;
  ASSERT_TRUE(ReadUntil(*room, &room_seen, EventWithId(before_release.id())));
  ASSERT_TRUE(ReadUntil(*tablet, &tablet_seen, EventWithId(before_release.id())));

  std::vector<std::string> shown_to_room;
  for (const v1::SessionUpdate& update : room_seen) {
    for (std::string& part : HiddenParts(update)) shown_to_room.push_back(part);
  }
  EXPECT_EQ(shown_to_room, std::vector<std::string>{});
  size_t room_updates_with_assessment = 0;
  for (const v1::SessionUpdate& update : room_seen) {
    if (update.has_assessment()) {
      ++room_updates_with_assessment;
      EXPECT_TRUE(update.assessment().withheld());
    }
  }
  // The room still follows the session: the learners' own action and the
  // withheld assessment (its items, without grades) reach it.
  EXPECT_GT(room_updates_with_assessment, 0u);

  std::vector<std::string> shown_to_tablet;
  for (const v1::SessionUpdate& update : tablet_seen) {
    for (std::string& part : HiddenParts(update)) shown_to_tablet.push_back(part);
  }
  // The same updates carried verdicts, grades and the session's internals.
  EXPECT_GE(shown_to_tablet.size(), 3u);
  bool tablet_saw_grade = false;
  bool tablet_saw_dose_flag = false;
  for (const v1::SessionUpdate& update : tablet_seen) {
    if (!update.has_event()) continue;
    tablet_saw_grade |= update.event().id() == scored.id();
    tablet_saw_dose_flag |= update.event().kind() == v1::EVENT_KIND_DOSE_FLAGGED;
  }
  EXPECT_TRUE(tablet_saw_grade);
  EXPECT_TRUE(tablet_saw_dose_flag);

  // Once released, the learners' view has the scores.
  v1::ReleaseScoresRequest release;
  release.set_session_id(created.id());
  v1::Event released;
  grpc::ClientContext release_context;
  ASSERT_TRUE(assessments_->ReleaseScores(&release_context, release, &released).ok());
  room_seen.clear();
  ASSERT_TRUE(ReadUntil(*room, &room_seen, [](const v1::SessionUpdate& update) {
    return update.has_assessment() && update.assessment().released();
  }));
  const v1::Assessment& after = room_seen.back().assessment();
  EXPECT_FALSE(after.withheld());
  EXPECT_GT(after.dose_checks_size(), 0);
  bool visibility_event = false;
  for (const v1::SessionUpdate& update : room_seen) {
    visibility_event |= update.has_event() && update.event().id() == released.id();
  }
  EXPECT_TRUE(visibility_event);
}

TEST_P(DeviceVisibilityTest, ADeviceAccountCannotAskForTheInstructorsView) {
  const v1::Session created = Create();
  const std::string device_token = controller_.AddUserWithToken("room-monitor", "device");
  v1::DeviceHello hello = Hello("monitor");
  hello.set_pairing_code(created.pairing_code());
  hello.set_instructor_view(true);
  grpc::Status status;
  EXPECT_EQ(Connect(hello, device_token, &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_NE(status.error_message().find("instructor_view"), std::string::npos)
      << status.error_message();
  // Without asking, the same account joins and sees the learners' view.
  hello.set_instructor_view(false);
  std::unique_ptr<DeviceClient> device = Connect(hello, device_token, &status);
  ASSERT_NE(device, nullptr) << status.error_message();
  EXPECT_EQ(HiddenParts(device->welcome().snapshot()), std::vector<std::string>{});
}

// An admin's token without instructor_view: still the learners' view (the
// demo and third-party devices often run with a staff token).
TEST_P(DeviceVisibilityTest, AStaffTokenAloneDoesNotWidenTheView) {
  const v1::Session created = Create();
  v1::DeviceHello hello = Hello("monitor");
  hello.set_pairing_code(created.pairing_code());
  grpc::Status status;
  std::unique_ptr<DeviceClient> device = Connect(hello, controller_.admin_token(), &status);
  ASSERT_NE(device, nullptr) << status.error_message();
  EXPECT_EQ(HiddenParts(device->welcome().snapshot()), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Transports, DeviceVisibilityTest,
                         ::testing::Values(DeviceClient::Transport::kGrpc,
                                           DeviceClient::Transport::kTcp),
                         [](const ::testing::TestParamInfo<DeviceClient::Transport>& info) {
                           return info.param == DeviceClient::Transport::kGrpc ? "Grpc" : "Tcp";
                         });

}  // namespace
}  // namespace pedisim::testing

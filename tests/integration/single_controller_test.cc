// One controller per data folder and per port: a second controller started
// on the folder or the port of a running one exits at once with a message
// saying why (the holder's pid for the folder), and the class running on
// the first is untouched: still live, not deletable, every acknowledged
// bookmark in its record.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "controller_process.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

constexpr int kBookmarks = 50;

class SingleControllerTest : public ::testing::Test {
 protected:
  SingleControllerTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        debrief_(v1::DebriefService::NewStub(controller_.channel())) {}

  // A running class with kBookmarks acknowledged bookmarks.
  void SetUp() override {
    v1::CreateSessionRequest create;
    create.set_scenario_id("test-short");
    create.set_speed(0.25);
    create.add_participants()->set_name("Dr. Test");
    grpc::ClientContext context;
    v1::Session session;
    ASSERT_TRUE(sessions_->Create(&context, create, &session).ok());
    id_ = session.id();
    v1::SessionRef ref;
    ref.set_session_id(id_);
    grpc::ClientContext start_context;
    ASSERT_TRUE(sessions_->Start(&start_context, ref, &session).ok());
    for (int i = 0; i < kBookmarks; ++i) {
      v1::AddBookmarkRequest bookmark;
      bookmark.set_session_id(id_);
      bookmark.set_label("mark " + std::to_string(i));
      grpc::ClientContext bookmark_context;
      v1::Event event;
      ASSERT_TRUE(sessions_->AddBookmark(&bookmark_context, bookmark, &event).ok());
    }
  }

  // A second controller with `flags`; it must exit by itself.
  static CommandResult SecondController(const std::string& flags) {
    return RunCommand(std::string(PEDISIM_CONTROLLER_BIN) + " --scenarios-dir " +
                      PEDISIM_TEST_SCENARIOS_DIR + " " + flags);
  }

  // The class on the first controller goes on, whole.
  void ExpectClassUntouched() {
    v1::SessionRef ref;
    ref.set_session_id(id_);
    grpc::ClientContext context;
    v1::Session session;
    ASSERT_TRUE(sessions_->Get(&context, ref, &session).ok());
    EXPECT_EQ(session.status(), v1::SESSION_STATUS_RUNNING);

    v1::RecordingRef recording_ref;
    recording_ref.set_session_id(id_);
    grpc::ClientContext get_context;
    v1::Recording recording;
    ASSERT_TRUE(debrief_->GetRecording(&get_context, recording_ref, &recording).ok());
    EXPECT_EQ(recording.status(), v1::RECORDING_STATUS_LIVE);
    int bookmarks = 0;
    for (const v1::Annotation& annotation : recording.annotations()) {
      if (annotation.event_id() != 0) ++bookmarks;
    }
    EXPECT_EQ(bookmarks, kBookmarks);
    grpc::ClientContext delete_context;
    v1::DeleteRecordingResponse deleted;
    EXPECT_EQ(debrief_->DeleteRecording(&delete_context, recording_ref, &deleted).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::DebriefService::Stub> debrief_;
  std::string id_;
};

TEST_F(SingleControllerTest, ASecondControllerOnTheSameDataFolderIsRefused) {
  const auto catalog = controller_.data_dir() / "catalog.sqlite3";
  const auto catalog_written = std::filesystem::last_write_time(catalog);
  const CommandResult second = SecondController(
      "--listen 127.0.0.1:0 --device-tcp-listen off "
      "--data-dir " +
      controller_.data_dir().string());
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.output.find("is in use by another controller (pid " +
                               std::to_string(controller_.pid()) + ")"),
            std::string::npos)
      << second.output;
  EXPECT_EQ(std::filesystem::last_write_time(catalog), catalog_written);
  ExpectClassUntouched();
}

TEST_F(SingleControllerTest, ASecondControllerOnTheSamePortIsRefusedBeforeTouchingItsFolder) {
  TempDir other;
  const std::filesystem::path data = other.path() / "data";
  const std::string port = controller_.address().substr(controller_.address().rfind(':') + 1);
  const CommandResult second = SecondController(
      "--listen 127.0.0.1:" + port + " --device-tcp-listen off --data-dir " + data.string());
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.output.find("127.0.0.1:" + port + " is already in use"), std::string::npos)
      << second.output;
  EXPECT_FALSE(std::filesystem::exists(data));

  // The device port too.
  const CommandResult device_port = SecondController(
      "--listen 127.0.0.1:0 --device-tcp-listen 127.0.0.1:" +
      std::to_string(controller_.device_tcp_port()) + " --data-dir " + data.string());
  EXPECT_NE(device_port.exit_code, 0);
  EXPECT_NE(device_port.output.find("is already in use"), std::string::npos) << device_port.output;
  EXPECT_FALSE(std::filesystem::exists(data));
  ExpectClassUntouched();
}

}  // namespace
}  // namespace pedisim::testing

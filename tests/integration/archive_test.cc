// Archiving ended sessions over a real controller: an archived session is
// left out of ListRecordings and SessionService.List (and `pedisimctl
// recordings list` / `session list`), shown when asked for, stays archived
// across a restart and can be restored; a live session cannot be archived;
// a learner may neither archive nor delete.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>

#include "controller_process.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

std::string CreateSession(const std::shared_ptr<grpc::Channel>& channel, bool stop) {
  auto sessions = v1::SessionService::NewStub(channel);
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.add_participants()->set_name("Sam");
  v1::Session created;
  {
    grpc::ClientContext context;
    EXPECT_TRUE(sessions->Create(&context, create, &created).ok());
  }
  if (stop) {
    v1::SessionRef ref;
    ref.set_session_id(created.id());
    grpc::ClientContext context;
    v1::Session stopped;
    EXPECT_TRUE(sessions->Stop(&context, ref, &stopped).ok());
  }
  return created.id();
}

std::set<std::string> Recordings(const std::shared_ptr<grpc::Channel>& channel,
                                 bool include_archived) {
  auto debrief = v1::DebriefService::NewStub(channel);
  v1::ListRecordingsRequest request;
  request.set_include_archived(include_archived);
  v1::ListRecordingsResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(debrief->ListRecordings(&context, request, &response).ok());
  std::set<std::string> ids;
  for (const v1::Recording& recording : response.recordings()) ids.insert(recording.session_id());
  return ids;
}

std::set<std::string> Sessions(const std::shared_ptr<grpc::Channel>& channel,
                               bool include_archived) {
  auto sessions = v1::SessionService::NewStub(channel);
  v1::ListSessionsRequest request;
  request.set_include_archived(include_archived);
  v1::ListSessionsResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(sessions->List(&context, request, &response).ok());
  std::set<std::string> ids;
  for (const v1::Session& session : response.sessions()) ids.insert(session.id());
  return ids;
}

grpc::Status SetArchived(const std::shared_ptr<grpc::Channel>& channel, const std::string& id,
                         bool archived, v1::Recording* recording = nullptr) {
  auto debrief = v1::DebriefService::NewStub(channel);
  v1::SetArchivedRequest request;
  request.set_session_id(id);
  request.set_archived(archived);
  v1::Recording answer;
  grpc::ClientContext context;
  const grpc::Status status = debrief->SetArchived(&context, request, &answer);
  if (recording != nullptr) *recording = answer;
  return status;
}

TEST(ArchiveTest, AnArchivedSessionIsHiddenUntilAskedForAndSurvivesARestart) {
  TempDir data;
  std::string archived_id;
  std::string kept_id;
  {
    ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
    archived_id = CreateSession(controller.channel(), /*stop=*/true);
    kept_id = CreateSession(controller.channel(), /*stop=*/true);
    const std::string live_id = CreateSession(controller.channel(), /*stop=*/false);

    v1::Recording recording;
    const grpc::Status archived = SetArchived(controller.channel(), archived_id, true, &recording);
    ASSERT_TRUE(archived.ok()) << archived.error_message();
    EXPECT_TRUE(recording.archived());

    EXPECT_EQ(Recordings(controller.channel(), false), (std::set<std::string>{kept_id, live_id}));
    EXPECT_EQ(Recordings(controller.channel(), true),
              (std::set<std::string>{archived_id, kept_id, live_id}));
    EXPECT_EQ(Sessions(controller.channel(), false), (std::set<std::string>{kept_id, live_id}));
    EXPECT_EQ(Sessions(controller.channel(), true),
              (std::set<std::string>{archived_id, kept_id, live_id}));

    // A live session is not archived; the refusal names the field.
    const grpc::Status refused = SetArchived(controller.channel(), live_id, true);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(refused.error_message().find("session_id"), std::string::npos);
    // An unknown one is not found.
    EXPECT_EQ(SetArchived(controller.channel(), "no-such-session", true).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
  EXPECT_FALSE(Recordings(restarted.channel(), false).contains(archived_id));
  EXPECT_TRUE(Recordings(restarted.channel(), true).contains(archived_id));
  EXPECT_FALSE(Sessions(restarted.channel(), false).contains(archived_id));
  {
    auto debrief = v1::DebriefService::NewStub(restarted.channel());
    v1::RecordingRef ref;
    ref.set_session_id(archived_id);
    v1::Recording recording;
    grpc::ClientContext context;
    ASSERT_TRUE(debrief->GetRecording(&context, ref, &recording).ok());
    EXPECT_TRUE(recording.archived());
  }
  v1::Recording restored;
  ASSERT_TRUE(SetArchived(restarted.channel(), archived_id, false, &restored).ok());
  EXPECT_FALSE(restored.archived());
  EXPECT_TRUE(Recordings(restarted.channel(), false).contains(archived_id));
  EXPECT_TRUE(Sessions(restarted.channel(), false).contains(archived_id));
  EXPECT_TRUE(Recordings(restarted.channel(), false).contains(kept_id));
}

TEST(ArchiveTest, ALearnerMayNeitherArchiveNorDelete) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  const std::string id = CreateSession(controller.channel(), /*stop=*/true);
  const std::shared_ptr<grpc::Channel> learner =
      controller.ChannelWithToken(controller.AddUserWithToken("Sam", "learner"));
  EXPECT_EQ(SetArchived(learner, id, true).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  {
    auto debrief = v1::DebriefService::NewStub(learner);
    v1::RecordingRef ref;
    ref.set_session_id(id);
    v1::DeleteRecordingResponse deleted;
    grpc::ClientContext context;
    EXPECT_EQ(debrief->DeleteRecording(&context, ref, &deleted).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_TRUE(Recordings(controller.channel(), false).contains(id));
}

TEST(ArchiveTest, PedisimctlArchivesListsAndRestores) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  const std::string id = CreateSession(controller.channel(), /*stop=*/true);
  auto ctl = [&](const std::string& arguments) {
    return RunCommand(std::string(PEDISIM_CTL_BIN) + " --controller " + controller.address() +
                      " --token-file " + controller.admin_token_file().string() + " " + arguments +
                      " 2>&1");
  };
  const CommandResult archive = ctl("recordings archive " + id);
  ASSERT_EQ(archive.exit_code, 0) << archive.output;
  EXPECT_NE(archive.output.find(id + " archived"), std::string::npos) << archive.output;
  EXPECT_EQ(ctl("recordings list").output.find(id), std::string::npos);
  EXPECT_EQ(ctl("session list").output.find(id), std::string::npos);
  const CommandResult all = ctl("recordings list --archived");
  EXPECT_NE(all.output.find(id + " [archived]"), std::string::npos) << all.output;
  EXPECT_NE(ctl("session list --archived").output.find(id), std::string::npos);
  const CommandResult restore = ctl("recordings unarchive " + id);
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  EXPECT_NE(ctl("recordings list").output.find(id), std::string::npos);
}

// A data folder from before archiving (catalog schema version 1, without
// the archived column): the next controller adds the column in place, so
// the catalog is not rebuilt and its locks, which are only there, are kept.
TEST(ArchiveTest, AVersionOneCatalogKeepsItsLocksAndGainsArchiving) {
  TempDir data;
  std::string id;
  {
    ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
    id = CreateSession(controller.channel(), /*stop=*/true);
    auto debrief = v1::DebriefService::NewStub(controller.channel());
    v1::SetLockedRequest lock;
    lock.set_session_id(id);
    lock.set_locked(true);
    v1::Recording locked;
    grpc::ClientContext context;
    ASSERT_TRUE(debrief->SetLocked(&context, lock, &locked).ok());
    EXPECT_EQ(controller.Terminate(), 0);
  }
  // Back to version 1, as an older controller left it.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data.path() / "catalog.sqlite3").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int downgraded =
        sqlite3_exec(db, "ALTER TABLE recordings DROP COLUMN archived; PRAGMA user_version=1;",
                     nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(downgraded, SQLITE_OK) << message;
  }
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
  auto debrief = v1::DebriefService::NewStub(restarted.channel());
  v1::RecordingRef ref;
  ref.set_session_id(id);
  {
    v1::Recording recording;
    grpc::ClientContext context;
    ASSERT_TRUE(debrief->GetRecording(&context, ref, &recording).ok());
    EXPECT_TRUE(recording.locked());
    EXPECT_FALSE(recording.archived());
  }
  ASSERT_TRUE(SetArchived(restarted.channel(), id, true).ok());
  EXPECT_FALSE(Recordings(restarted.channel(), false).contains(id));
  EXPECT_TRUE(Recordings(restarted.channel(), true).contains(id));
}

}  // namespace
}  // namespace pedisim::testing

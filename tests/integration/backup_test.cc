// pedisimctl backup and restore against real controllers (the finding:
// there was no backup or restore): a backup taken while the controller
// runs, read by GNU tar as an independent check, restored into a new data
// folder on which a second controller starts with the same users, tokens
// and recordings.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "controller_process.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

namespace fs = std::filesystem;

class BackupTest : public ::testing::Test {
 protected:
  BackupTest() : controller_(PEDISIM_TEST_SCENARIOS_DIR) {}

  CommandResult Ctl(const std::string& arguments) {
    return RunCommand(std::string(PEDISIM_CTL_BIN) + " --controller " + controller_.address() +
                      " --token-file " + controller_.admin_token_file().string() + " " + arguments);
  }

  // A session that ran and was stopped: a record with events.
  std::string RecordedSession() {
    auto sessions = v1::SessionService::NewStub(controller_.channel());
    v1::CreateSessionRequest create;
    create.set_scenario_id("test-short");
    create.set_speed(8);
    create.add_participants()->set_name("Nurse Lee");
    v1::Session session;
    {
      grpc::ClientContext context;
      EXPECT_TRUE(sessions->Create(&context, create, &session).ok());
    }
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    for (auto call : {&v1::SessionService::Stub::Start, &v1::SessionService::Stub::Stop}) {
      grpc::ClientContext context;
      v1::Session answered;
      EXPECT_TRUE(((*sessions).*call)(&context, ref, &answered).ok());
    }
    return session.id();
  }

  ControllerProcess controller_;
  TempDir temp_;
};

TEST_F(BackupTest, ABackupTakenWhileRunningRestoresIntoAControllerWithTheSameUsersAndRecords) {
  const std::string learner_token = controller_.AddUserWithToken("Nurse Lee", "learner");
  const std::string session_id = RecordedSession();
  // A session still running while the copy is taken.
  auto sessions = v1::SessionService::NewStub(controller_.channel());
  {
    v1::CreateSessionRequest create;
    create.set_scenario_id("test-short");
    v1::Session live;
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &live).ok());
    v1::SessionRef ref;
    ref.set_session_id(live.id());
    grpc::ClientContext start_context;
    ASSERT_TRUE(sessions->Start(&start_context, ref, &live).ok());
  }

  const fs::path archive = temp_.path() / "pedisim-backup.tar";
  const CommandResult taken = Ctl("backup " + archive.string());
  ASSERT_EQ(taken.exit_code, 0) << taken.output;
  EXPECT_NE(taken.output.find("session records"), std::string::npos) << taken.output;
  EXPECT_EQ(fs::status(archive).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(Ctl("backup " + archive.string()).exit_code, 64) << "never overwrites";

  // GNU tar reads it: an ordinary archive an administrator can inspect.
  const CommandResult listed = RunCommand("tar -tvf " + archive.string());
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  for (const std::string& member :
       {std::string("auth.sqlite3"), std::string("catalog.sqlite3"), std::string("admin.token"),
        "sessions/" + session_id + "/session.psrec"}) {
    EXPECT_NE(listed.output.find(member), std::string::npos) << member << "\n" << listed.output;
  }
  EXPECT_EQ(listed.output.find("controller.lock"), std::string::npos);

  const fs::path restored = temp_.path() / "restored";
  const CommandResult restore =
      Ctl("restore " + archive.string() + " --data-dir " + restored.string());
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  EXPECT_EQ(fs::status(restored).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(Ctl("restore " + archive.string() + " --data-dir " + restored.string()).exit_code, 64)
      << "only into an empty folder";

  // A second controller on the restored folder: the same admin token, the
  // learner's token, and the recording.
  ControllerProcess second(PEDISIM_TEST_SCENARIOS_DIR, {}, restored);
  EXPECT_EQ(second.admin_token(), controller_.admin_token());
  auto admin = v1::AdminService::NewStub(second.ChannelWithToken(learner_token));
  grpc::ClientContext who_context;
  v1::User me;
  ASSERT_TRUE(admin->WhoAmI(&who_context, v1::WhoAmIRequest(), &me).ok());
  EXPECT_EQ(me.name(), "Nurse Lee");
  auto debrief = v1::DebriefService::NewStub(second.channel());
  grpc::ClientContext context;
  v1::RecordingRef ref;
  ref.set_session_id(session_id);
  v1::Recording recording;
  const grpc::Status found = debrief->GetRecording(&context, ref, &recording);
  ASSERT_TRUE(found.ok()) << found.error_message();
  EXPECT_EQ(recording.session_id(), session_id);
  EXPECT_EQ(recording.participants(0).name(), "Nurse Lee");
}

TEST_F(BackupTest, ARestoreRefusesAnArchiveReachingOutsideTheDataFolder) {
  const fs::path evil = temp_.path() / "evil.tar";
  const CommandResult made = RunCommand("cd " + temp_.path().string() +
                                        " && mkdir -p a && echo x > a/f && python3 -c \"import "
                                        "tarfile; t = tarfile.open('" +
                                        evil.string() +
                                        "', 'w'); t.add('a/f', arcname='../outside'); "
                                        "t.close()\"");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const fs::path target = temp_.path() / "target";
  const CommandResult refused = Ctl("restore " + evil.string() + " --data-dir " + target.string());
  EXPECT_EQ(refused.exit_code, 65) << refused.output;
  EXPECT_NE(refused.output.find("'../outside'"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(temp_.path() / "outside"));
  EXPECT_FALSE(fs::exists(target)) << "nothing written";
}

}  // namespace
}  // namespace pedisim::testing

// Restarts lose nothing the class did: a controller stopped with SIGTERM (a
// service restart, an upgrade) or killed with SIGKILL mid-class; a new one
// on the same data folder resumes the class on an instructor's Resume: the
// record re-run to its end, paused in that state, with its devices and its
// pairing code, every acknowledged event in it; a second Resume runs it on.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

constexpr int kBookmarks = 20;

struct Class {
  v1::Session created;
  std::set<uint64_t> acknowledged;  // event ids
  double last_acknowledged_s = 0;   // simulated time of the last of them
};

// A class with a virtual monitor and manikin, running at 2x: an override,
// an action and kBookmarks bookmarks, all acknowledged.
Class RunClass(const ControllerProcess& controller) {
  auto sessions = v1::SessionService::NewStub(controller.channel());
  Class run;
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.set_speed(2);
  create.add_participants()->set_name("Dr. Test");
  create.add_devices()->set_adapter("virtual-monitor");
  v1::DeviceAttachment* manikin = create.add_devices();
  manikin->set_adapter("virtual-manikin");
  manikin->set_name("manikin");
  {
    grpc::ClientContext context;
    EXPECT_TRUE(sessions->Create(&context, create, &run.created).ok());
  }
  v1::SessionRef ref;
  ref.set_session_id(run.created.id());
  {
    grpc::ClientContext context;
    v1::Session started;
    EXPECT_TRUE(sessions->Start(&context, ref, &started).ok());
  }
  v1::OverrideVitalsRequest hold;
  hold.set_session_id(run.created.id());
  hold.mutable_vitals()->set_heart_rate_bpm(175);
  {
    grpc::ClientContext context;
    v1::Event event;
    EXPECT_TRUE(sessions->OverrideVitals(&context, hold, &event).ok());
    run.acknowledged.insert(event.id());
  }
  for (int i = 0; i < kBookmarks; ++i) {
    v1::AddBookmarkRequest bookmark;
    bookmark.set_session_id(run.created.id());
    bookmark.set_label("mark " + std::to_string(i));
    grpc::ClientContext context;
    v1::Event event;
    EXPECT_TRUE(sessions->AddBookmark(&context, bookmark, &event).ok());
    run.acknowledged.insert(event.id());
    run.last_acknowledged_s = event.sim_time_s();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return run;
}

void ExpectResumes(const ControllerProcess& restarted, const Class& run) {
  auto sessions = v1::SessionService::NewStub(restarted.channel());
  v1::SessionRef ref;
  ref.set_session_id(run.created.id());
  v1::Session resumed;
  {
    const auto resuming = std::chrono::steady_clock::now();
    grpc::ClientContext context;
    const grpc::Status status = sessions->Resume(&context, ref, &resumed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    std::printf("resumed %zu events, %.1f s of simulated time, in %.3f s\n",
                static_cast<size_t>(resumed.event_count()), resumed.sim_time_s(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - resuming).count());
  }
  EXPECT_EQ(resumed.id(), run.created.id());
  EXPECT_EQ(resumed.status(), v1::SESSION_STATUS_PAUSED);
  EXPECT_EQ(resumed.pairing_code(), run.created.pairing_code());
  EXPECT_GE(resumed.sim_time_s(), run.last_acknowledged_s);
  EXPECT_EQ(resumed.vital_holders().count("heart_rate_bpm"), 1u);
  std::set<std::string> devices;
  for (const v1::Device& device : resumed.devices()) devices.insert(device.name());
  EXPECT_EQ(devices, (std::set<std::string>{"virtual-monitor", "manikin"}));
  EXPECT_NEAR(resumed.vitals().heart_rate_bpm(), 175, 0.5);

  // Every acknowledged event is in it, under its id.
  grpc::ClientContext watch_context;
  v1::WatchRequest watch;
  watch.set_session_id(run.created.id());
  watch.set_after_event_id(0);
  auto stream = sessions->Watch(&watch_context, watch);
  std::set<uint64_t> found;
  v1::SessionUpdate update;
  uint64_t seen = 0;
  while (seen < resumed.event_count() && stream->Read(&update)) {
    if (!update.has_event()) continue;
    ++seen;
    if (run.acknowledged.contains(update.event().id())) found.insert(update.event().id());
  }
  watch_context.TryCancel();
  EXPECT_EQ(found, run.acknowledged);

  // Listed live again; Resume runs it on, Stop ends it complete.
  {
    grpc::ClientContext context;
    v1::Session running;
    ASSERT_TRUE(sessions->Resume(&context, ref, &running).ok());
    EXPECT_EQ(running.status(), v1::SESSION_STATUS_RUNNING);
  }
  {
    grpc::ClientContext context;
    v1::Session stopped;
    ASSERT_TRUE(sessions->Stop(&context, ref, &stopped).ok());
  }
  auto debrief = v1::DebriefService::NewStub(restarted.channel());
  grpc::ClientContext context;
  v1::RecordingRef recording_ref;
  recording_ref.set_session_id(run.created.id());
  v1::Recording recording;
  ASSERT_TRUE(debrief->GetRecording(&context, recording_ref, &recording).ok());
  EXPECT_EQ(recording.status(), v1::RECORDING_STATUS_COMPLETE);
}

TEST(RestartResumeTest, AClassInterruptedBySigtermResumesWithItsDevices) {
  TempDir data;
  Class run;
  {
    ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
    run = RunClass(controller);
    EXPECT_EQ(controller.Terminate(), 0);
  }
  const auto restarting = std::chrono::steady_clock::now();
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
  std::printf("restart after SIGTERM: serving after %.2f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - restarting).count());
  ExpectResumes(restarted, run);
}

TEST(RestartResumeTest, AClassInterruptedByKillNineResumesFromItsLastFlush) {
  TempDir data;
  Class run;
  {
    ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
    run = RunClass(controller);
    controller.Kill();
  }
  const auto restarting = std::chrono::steady_clock::now();
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
  std::printf("restart after SIGKILL: serving after %.2f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - restarting).count());
  ExpectResumes(restarted, run);
}

TEST(RestartResumeTest, AnEndedSessionIsNotResumed) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  const Class run = RunClass(controller);
  v1::SessionRef ref;
  ref.set_session_id(run.created.id());
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Stop(&context, ref, &session).ok());
  }
  grpc::ClientContext context;
  EXPECT_EQ(sessions->Resume(&context, ref, &session).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// pedisimctl says "interrupted" for a session a shutdown interrupted, in
// `session list` and `session show` (with why, and how to go on), and
// "paused" once it is resumed.
TEST(RestartResumeTest, TheCliShowsAnInterruptedSessionAsInterrupted) {
  TempDir data;
  std::string id;
  {
    ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
    auto sessions = v1::SessionService::NewStub(controller.channel());
    v1::CreateSessionRequest create;
    create.set_scenario_id("test-short");
    v1::Session created;
    {
      grpc::ClientContext context;
      ASSERT_TRUE(sessions->Create(&context, create, &created).ok());
    }
    id = created.id();
    v1::SessionRef ref;
    ref.set_session_id(id);
    grpc::ClientContext context;
    v1::Session started;
    ASSERT_TRUE(sessions->Start(&context, ref, &started).ok());
    EXPECT_EQ(controller.Terminate(), 0);
  }
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, {}, data.path());
  auto ctl = [&](const std::string& arguments) {
    return RunCommand(std::string(PEDISIM_CTL_BIN) + " --controller " + restarted.address() +
                      " --token-file " + restarted.admin_token_file().string() + " " + arguments +
                      " 2>&1");
  };
  const CommandResult list = ctl("session list");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  const size_t row = list.output.find(id);
  ASSERT_NE(row, std::string::npos) << list.output;
  const std::string line = list.output.substr(row, list.output.find('\n', row) - row);
  EXPECT_NE(line.find("interrupted"), std::string::npos) << list.output;
  const CommandResult show = ctl("session show " + id);
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("status        interrupted  ("), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("resume it to go on"), std::string::npos) << show.output;

  auto sessions = v1::SessionService::NewStub(restarted.channel());
  v1::SessionRef ref;
  ref.set_session_id(id);
  grpc::ClientContext context;
  v1::Session resumed;
  ASSERT_TRUE(sessions->Resume(&context, ref, &resumed).ok());
  const CommandResult after = ctl("session show " + id);
  EXPECT_EQ(after.output.find("interrupted"), std::string::npos) << after.output;
  EXPECT_NE(after.output.find("paused"), std::string::npos) << after.output;
}

}  // namespace
}  // namespace pedisim::testing

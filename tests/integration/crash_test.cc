// kill -9 of a recording controller at random moments, then restarts on the
// same data: every record opens, everything acknowledged before the kill is
// there, the sessions are listed as interrupted, and a lost catalog is
// rebuilt from the records. PEDISIM_KILL_ROUNDS sets the number of kills
// (default 5; the dedicated run in docs/RELIABILITY.md uses 50) and
// PEDISIM_KILL_SEED the random moments.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "controller_process.h"
#include "debrief_client.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value ? std::atoi(value) : fallback;
}

std::vector<v1::Recording> ListAll(const std::shared_ptr<grpc::Channel>& channel) {
  auto debrief = v1::DebriefService::NewStub(channel);
  grpc::ClientContext context;
  v1::ListRecordingsResponse response;
  EXPECT_TRUE(debrief->ListRecordings(&context, {}, &response).ok());
  return {response.recordings().begin(), response.recordings().end()};
}

TEST(CrashTest, KillNineAtRandomMomentsLosesNothingAcknowledged) {
  const int rounds = EnvInt("PEDISIM_KILL_ROUNDS", 5);
  const int seed = EnvInt("PEDISIM_KILL_SEED", 20261126);
  std::printf("kill -9 rounds: %d, seed %d\n", rounds, seed);
  std::mt19937 random(static_cast<unsigned>(seed));
  TempDir data;
  // Acknowledged bookmarks (event ids) of every session.
  std::map<std::string, std::set<uint64_t>> acknowledged;

  for (int round = 0; round < rounds; ++round) {
    ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR, {}, data.path());
    auto sessions = v1::SessionService::NewStub(controller.channel());
    std::vector<std::string> ids;
    for (const char* scenario : {"infant-respiratory-failure", "school-age-vf-arrest"}) {
      v1::CreateSessionRequest create;
      create.set_scenario_id(scenario);
      create.set_speed(8);
      create.add_participants()->set_name("Learner " + std::to_string(round));
      grpc::ClientContext context;
      v1::Session session;
      ASSERT_TRUE(sessions->Create(&context, create, &session).ok());
      grpc::ClientContext start_context;
      v1::SessionRef ref;
      ref.set_session_id(session.id());
      ASSERT_TRUE(sessions->Start(&start_context, ref, &session).ok());
      ids.push_back(session.id());
      acknowledged[session.id()];
    }
    // Bookmarks at random until a random moment, then the kill, whatever
    // the controller is doing (a step, a flush, an RPC in flight).
    const auto kill_at =
        std::chrono::steady_clock::now() +
        std::chrono::milliseconds(std::uniform_int_distribution(200, 2500)(random));
    int mark = 0;
    while (std::chrono::steady_clock::now() < kill_at) {
      const std::string& id = ids[static_cast<size_t>(mark % 2)];
      v1::AddBookmarkRequest request;
      request.set_session_id(id);
      request.set_label("mark " + std::to_string(++mark));
      grpc::ClientContext context;
      v1::Event event;
      if (sessions->AddBookmark(&context, request, &event).ok()) {
        acknowledged[id].insert(event.id());
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution(5, 60)(random)));
    }
    controller.Kill();
  }

  auto check = [&](ControllerProcess& controller) {
    const std::vector<v1::Recording> listed = ListAll(controller.channel());
    ASSERT_EQ(listed.size(), acknowledged.size());
    auto debrief = v1::DebriefService::NewStub(controller.channel());
    for (const v1::Recording& recording : listed) {
      EXPECT_EQ(recording.status(), v1::RECORDING_STATUS_INTERRUPTED) << recording.session_id();
      // The record opens and plays to its end, every event in order.
      const std::vector<v1::SessionUpdate> replayed =
          ReplayAll(controller.channel(), recording.session_id());
      uint64_t next_id = 1;
      std::set<uint64_t> bookmarks;
      for (const v1::SessionUpdate& update : replayed) {
        if (!update.has_event()) continue;
        EXPECT_EQ(update.event().id(), next_id++);
        if (update.event().kind() == v1::EVENT_KIND_BOOKMARK) bookmarks.insert(update.event().id());
      }
      // Everything acknowledged before the kill survived it.
      for (uint64_t id : acknowledged.at(recording.session_id())) {
        EXPECT_TRUE(bookmarks.contains(id)) << recording.session_id() << " lost bookmark " << id;
      }
    }
  };
  {
    ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR, {}, data.path());
    check(controller);
  }
  // The catalog is an index: without it, the records give it back.
  std::filesystem::remove(data.path() / "catalog.sqlite3");
  std::filesystem::remove(data.path() / "catalog.sqlite3-wal");
  std::filesystem::remove(data.path() / "catalog.sqlite3-shm");
  ControllerProcess rebuilt(PEDISIM_SCENARIO_LIBRARY_DIR, {}, data.path());
  check(rebuilt);
}

// A disk that fills up under a running session (RLIMIT_FSIZE stands in for
// it): the controller reports it to watchers and goes on; the record stays
// valid up to its last good write and opens after a restart.
TEST(CrashTest, AFullDiskIsReportedAndTheRecordStaysValid) {
  constexpr uint64_t kLimit = 64 * 1024;
  TempDir data;
  std::string id;
  {
    ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR, {}, data.path(), kLimit);
    auto sessions = v1::SessionService::NewStub(controller.channel());
    v1::CreateSessionRequest create;
    create.set_scenario_id("school-age-vf-arrest");
    create.set_speed(8);
    v1::Session session;
    {
      grpc::ClientContext context;
      ASSERT_TRUE(sessions->Create(&context, create, &session).ok());
    }
    id = session.id();
    grpc::ClientContext watch_context;
    v1::WatchRequest watch;
    watch.set_session_id(id);
    auto reader = sessions->Watch(&watch_context, watch);
    v1::SessionUpdate update;
    ASSERT_TRUE(reader->Read(&update));
    v1::SessionRef ref;
    ref.set_session_id(id);
    {
      grpc::ClientContext context;
      ASSERT_TRUE(sessions->Start(&context, ref, &session).ok());
    }
    std::string reported;
    while (reported.empty() && reader->Read(&update)) {
      if (update.has_snapshot()) reported = update.snapshot().recording_error();
      ASSERT_FALSE(update.has_vitals() && update.vitals().sim_time_s() > 600)
          << "the record never reached the size limit";
    }
    EXPECT_NE(reported.find("File too large"), std::string::npos) << reported;
    {
      grpc::ClientContext context;
      EXPECT_TRUE(sessions->Stop(&context, ref, &session).ok());
    }
    watch_context.TryCancel();
    reader->Finish();
  }
  ControllerProcess restarted(PEDISIM_SCENARIO_LIBRARY_DIR, {}, data.path());
  auto debrief = v1::DebriefService::NewStub(restarted.channel());
  v1::RecordingRef ref;
  ref.set_session_id(id);
  v1::Recording recording;
  grpc::ClientContext context;
  ASSERT_TRUE(debrief->GetRecording(&context, ref, &recording).ok());
  EXPECT_LE(recording.size_bytes(), kLimit);
  EXPECT_EQ(recording.status(), v1::RECORDING_STATUS_INTERRUPTED);
  uint64_t next_id = 1;
  for (const v1::SessionUpdate& update : ReplayAll(restarted.channel(), id)) {
    if (update.has_event()) {
      EXPECT_EQ(update.event().id(), next_id++);
    }
  }
  EXPECT_GT(next_id, 3u);
}

}  // namespace
}  // namespace pedisim::testing

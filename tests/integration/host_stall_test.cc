// A frozen host (the controller stopped with SIGSTOP for 5 s, as a
// suspended laptop or a stalled VM would be) does not fast-forward the
// patient: the stall is recorded as a pause by the system, with its length,
// and simulated time goes on from where it was.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

TEST(HostStallTest, AFrozenHostDoesNotFastForwardThePatient) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.set_speed(1);
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &session).ok());
  }
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Start(&context, ref, &session).ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  v1::Session before;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Get(&context, ref, &before).ok());
  }
  const auto stopped_at = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(controller.pid(), SIGSTOP), 0);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  ASSERT_EQ(kill(controller.pid(), SIGCONT), 0);
  v1::Session after;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Get(&context, ref, &after).ok());
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped_at).count();
  std::printf("host stalled: %.2f s of wall time, %.2f s of simulated time\n", wall_s,
              after.sim_time_s() - before.sim_time_s());

  // The stall is in the session's log as a pause by the system, with its
  // length, and the session runs on.
  grpc::ClientContext context;
  // The pacer notices the stall when it next runs, maybe after the Get
  // above: the events are awaited (10 s bounds a failure only).
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::WatchRequest watch;
  watch.set_session_id(session.id());
  watch.set_after_event_id(0);
  auto stream = sessions->Watch(&context, watch);
  v1::SessionUpdate update;
  bool stall_paused = false;
  bool stall_resumed = false;
  while (!stall_resumed && stream->Read(&update)) {
    if (!update.has_event()) continue;
    const v1::Event& event = update.event();
    if (event.agent() != v1::AGENT_SYSTEM) continue;
    if (event.kind() == v1::EVENT_KIND_SESSION_PAUSED &&
        event.summary().find("stalled for") != std::string::npos) {
      stall_paused = true;
    }
    if (event.kind() == v1::EVENT_KIND_SESSION_RESUMED) stall_resumed = stall_paused;
  }
  context.TryCancel();
  EXPECT_TRUE(stall_paused);
  EXPECT_TRUE(stall_resumed);
  EXPECT_EQ(after.status(), v1::SESSION_STATUS_RUNNING);
}

}  // namespace
}  // namespace pedisim::testing

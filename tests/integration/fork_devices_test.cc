// A fork keeps the room: the original's virtual devices and adapters are
// attached to the fork again, as they were asked for at create.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

TEST(ForkDevicesTest, AForkReattachesTheOriginalsDevices) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  auto debrief = v1::DebriefService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.set_speed(8);
  create.add_participants()->set_name("Dr. Test");
  create.add_devices()->set_adapter("virtual-monitor");
  v1::DeviceAttachment* manikin = create.add_devices();
  manikin->set_adapter("virtual-manikin");
  manikin->set_name("manikin");
  // Played before the bookmark: in the fork's history, not to be played again.
  (*manikin->mutable_config())["script"] = "actions:\n  - at_s: 0.2\n    action: {kind: oxygen}\n";
  v1::Session original;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &original).ok());
  }
  v1::SessionRef ref;
  ref.set_session_id(original.id());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Start(&context, ref, &original).ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // past 0.2 s at 8x
  v1::Event bookmark;
  {
    v1::AddBookmarkRequest request;
    request.set_session_id(original.id());
    request.set_label("before the distress");
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->AddBookmark(&context, request, &bookmark).ok());
  }
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Stop(&context, ref, &original).ok());
  }
  v1::ForkRequest fork;
  fork.set_session_id(original.id());
  fork.set_bookmark_event_id(bookmark.id());
  v1::Session forked;
  grpc::ClientContext context;
  const grpc::Status status = debrief->Fork(&context, fork, &forked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::set<std::string> devices;
  for (const v1::Device& device : forked.devices())
    devices.insert(device.name() + "/" + device.adapter());
  EXPECT_EQ(devices,
            (std::set<std::string>{"virtual-monitor/virtual-monitor", "manikin/virtual-manikin"}));
  EXPECT_EQ(forked.status(), v1::SESSION_STATUS_PAUSED);

  // Run on: the manikin's oxygen, played before the bookmark, is in the
  // fork once, from its history.
  v1::SessionRef fork_ref;
  fork_ref.set_session_id(forked.id());
  {
    grpc::ClientContext resume_context;
    ASSERT_TRUE(sessions->Resume(&resume_context, fork_ref, &forked).ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  {
    grpc::ClientContext stop_context;
    ASSERT_TRUE(sessions->Stop(&stop_context, fork_ref, &forked).ok());
  }
  grpc::ClientContext watch_context;
  v1::WatchRequest watch;
  watch.set_session_id(forked.id());
  watch.set_after_event_id(0);
  auto stream = sessions->Watch(&watch_context, watch);
  v1::SessionUpdate update;
  int device_actions = 0;
  while (stream->Read(&update)) {
    if (update.has_event() && update.event().kind() == v1::EVENT_KIND_LEARNER_ACTION &&
        update.event().source() == "manikin") {
      ++device_actions;
    }
  }
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(device_actions, 1);
}

}  // namespace
}  // namespace pedisim::testing

// A fork keeps the room: the original's virtual devices and adapters are
// attached to the fork again, as they were asked for at create.

#include <gtest/gtest.h>

#include <set>
#include <string>

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
}

}  // namespace
}  // namespace pedisim::testing

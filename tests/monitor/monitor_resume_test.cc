// A controller that crashes under a running pedisim-monitor and is brought
// back: the real controller is killed (SIGKILL) while the monitor shows the
// session, the monitor says NO DATA, a new controller starts on the same
// data folder and the same port, the instructor resumes the interrupted
// session through the public API (SessionService.Resume: restored PAUSED,
// then running), and the monitor, which kept trying by itself, rejoins the
// same session in its own place and shows it live again.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "controller_process.h"
#include "monitor_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

v1::Session Call(v1::SessionService::Stub& sessions, const std::string& id,
                 grpc::Status (v1::SessionService::Stub::*method)(grpc::ClientContext*,
                                                                  const v1::SessionRef&,
                                                                  v1::Session*)) {
  v1::SessionRef ref;
  ref.set_session_id(id);
  v1::Session session;
  grpc::Status status;
  // The first call on a restarted controller's new channel can meet a
  // connection being replaced ("Socket closed", UNAVAILABLE): tried again,
  // for a while, as any client would.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do {
    grpc::ClientContext context;
    status = (sessions.*method)(&context, ref, &session);
  } while (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
           std::chrono::steady_clock::now() < give_up);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return session;
}

TEST(MonitorResumeTest, AfterACrashTheResumedSessionIsLiveOnTheMonitorAgain) {
  TempDir data;
  TempDir temp;
  auto controller = std::make_unique<ControllerProcess>(PEDISIM_SCENARIO_LIBRARY_DIR,
                                                        std::vector<std::string>{}, data.path());
  const std::string address = controller->address();
  auto sessions = v1::SessionService::NewStub(controller->channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("infant-respiratory-failure");
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &session).ok());
  }
  Call(*sessions, session.id(), &v1::SessionService::Stub::Start);

  MonitorProcess monitor(temp.path(), "--controller " + address + " --token-file '" +
                                          controller->admin_token_file().string() +
                                          "' --pairing-code " + session.pairing_code() +
                                          " --name bedside-monitor");
  ASSERT_TRUE(monitor.WaitFor("live", 1)) << monitor.log();

  controller->Kill();
  ASSERT_TRUE(monitor.WaitFor("no-data", 1)) << monitor.log();

  // The same data folder, the same address: what the monitor knows.
  controller.reset();
  controller = std::make_unique<ControllerProcess>(
      PEDISIM_SCENARIO_LIBRARY_DIR, std::vector<std::string>{"--listen", address}, data.path());
  ASSERT_EQ(controller->address(), address);
  sessions = v1::SessionService::NewStub(controller->channel());
  const v1::Session interrupted = Call(*sessions, session.id(), &v1::SessionService::Stub::Get);
  EXPECT_NE(interrupted.end_reason().find("interrupted"), std::string::npos)
      << interrupted.end_reason();
  const v1::Session restored = Call(*sessions, session.id(), &v1::SessionService::Stub::Resume);
  EXPECT_EQ(restored.status(), v1::SESSION_STATUS_PAUSED);
  const v1::Session running = Call(*sessions, session.id(), &v1::SessionService::Stub::Resume);
  EXPECT_EQ(running.status(), v1::SESSION_STATUS_RUNNING);

  // Live again, in the same session, in its own place.
  ASSERT_TRUE(monitor.WaitFor("live", 2)) << monitor.log();
  const v1::Session now = Call(*sessions, session.id(), &v1::SessionService::Stub::Get);
  bool connected = false;
  for (const v1::Device& device : now.devices()) {
    connected |=
        device.name() == "bedside-monitor" && device.status() == v1::DEVICE_STATUS_CONNECTED;
  }
  EXPECT_TRUE(connected) << now.DebugString();
  EXPECT_EQ(now.status(), v1::SESSION_STATUS_RUNNING);
  monitor.Stop();
}

}  // namespace
}  // namespace pedisim::testing

// The controller's configuration file: devices every session gets, checked at
// start-up.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

TEST(ControllerConfigTest, ConfiguredDevicesJoinEverySession) {
  TempDir temp;
  const std::filesystem::path config = temp.path() / "controller.yaml";
  std::ofstream(config) << "log_level: warn\n"
                           "session_devices:\n"
                           "  - adapter: virtual-monitor\n"
                           "    name: room-monitor\n";
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {"--config", config.string()});
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest request;
  request.set_scenario_id("test-short");
  request.add_devices()->set_adapter("virtual-manikin");
  grpc::ClientContext context;
  v1::Session created;
  ASSERT_TRUE(sessions->Create(&context, request, &created).ok());
  ASSERT_EQ(created.devices_size(), 2);
  EXPECT_EQ(created.devices(0).name(), "virtual-manikin");
  EXPECT_EQ(created.devices(1).name(), "room-monitor");
  EXPECT_EQ(created.devices(1).adapter(), "virtual-monitor");
}

TEST(ControllerConfigTest, AnUnknownOrMisconfiguredAdapterIsAStartUpError) {
  TempDir temp;
  const std::filesystem::path config = temp.path() / "controller.yaml";
  std::ofstream(config) << "session_devices:\n"
                           "  - adapter: hl7-mllp\n"
                           "    config: {host: 127.0.0.1, port: 2575}\n"
                           "  - adapter: hl7-mlp\n";
  const std::filesystem::path log = temp.path() / "controller.log";
  const pid_t pid = fork();
  if (pid == 0) {
    FILE* out = std::freopen(log.c_str(), "w", stderr);
    (void)out;
    const std::string config_path = config.string();
    execl(PEDISIM_CONTROLLER_BIN, PEDISIM_CONTROLLER_BIN, "--listen", "127.0.0.1:0", "--config",
          config_path.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::stringstream text;
  text << std::ifstream(log).rdbuf();
  EXPECT_NE(text.str().find(config.string() + ":4:5: session_devices: "), std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("hl7-mlp"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace pedisim::testing

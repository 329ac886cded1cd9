// pedisim-monitor over TLS against a real controller serving TLS (--tls):
// one monitor joins over gRPC with a device user's token, another over the
// device TCP port with a device certificate the controller's CA issued
// (`pedisimctl device-cert issue`) and no token; both trust the
// controller's CA (--ca-file), both go live in the same session.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "controller_process.h"
#include "monitor_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

TEST(MonitorTlsTest, MonitorsJoinOverTlsWithATokenOnGrpcAndACertificateOnTcp) {
  ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR, {"--tls"});
  const std::filesystem::path ca = controller.data_dir() / "tls" / "ca.crt";
  ASSERT_TRUE(std::filesystem::exists(ca));
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("infant-respiratory-failure");
  v1::Session session;
  grpc::ClientContext create_context;
  ASSERT_TRUE(sessions->Create(&create_context, create, &session).ok());
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  grpc::ClientContext start_context;
  v1::Session started;
  ASSERT_TRUE(sessions->Start(&start_context, ref, &started).ok());

  TempDir temp;
  // A device user's token, for gRPC.
  const std::filesystem::path token_file = temp.path() / "monitor.token";
  std::ofstream(token_file) << controller.AddUserWithToken("room-monitor", "device");
  // A device certificate, for TCP, issued as an administrator would.
  controller.AddUserWithToken("room-monitor-cert", "device");
  const std::filesystem::path cert = temp.path() / "monitor.crt";
  const std::filesystem::path key = temp.path() / "monitor.key";
  const CommandResult issued = RunCommand(
      std::string(PEDISIM_CTL_BIN) + " --controller " + controller.address() + " --ca-file '" +
      ca.string() + "' --token-file '" + controller.admin_token_file().string() +
      "' device-cert issue room-monitor-cert --key-out '" + key.string() + "' --cert-out '" +
      cert.string() + "'");
  ASSERT_EQ(issued.exit_code, 0) << issued.output;

  std::filesystem::create_directories(temp.path() / "grpc");
  std::filesystem::create_directories(temp.path() / "tcp");
  MonitorProcess over_grpc(temp.path() / "grpc",
                           "--controller " + controller.address() + " --ca-file '" + ca.string() +
                               "' --token-file '" + token_file.string() + "' --pairing-code " +
                               session.pairing_code() + " --name monitor-grpc");
  MonitorProcess over_tcp(temp.path() / "tcp",
                          "--tcp 127.0.0.1:" + std::to_string(controller.device_tcp_port()) +
                              " --ca-file '" + ca.string() + "' --cert-file '" + cert.string() +
                              "' --key-file '" + key.string() + "' --pairing-code " +
                              session.pairing_code() + " --name monitor-tcp");
  EXPECT_TRUE(over_grpc.WaitFor("live", 1)) << over_grpc.log();
  EXPECT_TRUE(over_tcp.WaitFor("live", 1)) << over_tcp.log();

  // Both in the session, each with its own account.
  grpc::ClientContext get_context;
  v1::Session now;
  ASSERT_TRUE(sessions->Get(&get_context, ref, &now).ok());
  int listed = 0;
  for (const v1::Device& device : now.devices()) {
    listed += device.name() == "monitor-grpc" || device.name() == "monitor-tcp";
  }
  EXPECT_EQ(listed, 2);
}

}  // namespace
}  // namespace pedisim::testing

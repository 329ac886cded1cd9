// TLS against a real controller listening beyond loopback (on an address of
// this machine's network interfaces, or 0.0.0.0 when it has none): only TLS
// clients that trust its certificate get in, on gRPC and on the device TCP
// port, and only with a token; plain text beyond loopback takes a flag.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "beyond_loopback_test.h"
#include "client/tls_fingerprint.h"
#include "controller_process.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

grpc::Status ListScenarios(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::ScenarioService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListScenariosResponse response;
  return stub->List(&context, v1::ListScenariosRequest(), &response);
}

class TlsTest : public BeyondLoopbackTest {
 protected:
  explicit TlsTest(std::vector<std::string> flags = {}) : BeyondLoopbackTest(std::move(flags)) {}

  v1::Session CreateSession() {
    auto sessions = v1::SessionService::NewStub(controller_.channel());
    grpc::ClientContext context;
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    v1::Session session;
    EXPECT_TRUE(sessions->Create(&context, request, &session).ok());
    return session;
  }

  std::string log() const { return ReadText(controller_.log_file()); }
};

TEST_F(TlsTest, BeyondLoopbackOnlyTrustingTlsClientsWithATokenGetIn) {
  const std::filesystem::path ca = controller_.data_dir() / "tls" / "ca.crt";
  const std::string fingerprint =
      client::CertificateFingerprint(ReadText(controller_.data_dir() / "tls" / "server.crt"));
  ASSERT_EQ(fingerprint.size(), 64u);
  EXPECT_NE(log().find("(TLS)"), std::string::npos) << log();
  EXPECT_NE(log().find(fingerprint), std::string::npos) << "printed for clients to pin";

  const std::string token = controller_.admin_token();
  const grpc::Status trusted = ListScenarios(
      client::MakeControllerChannel(GrpcAddress(), {.token = token, .ca_file = ca.string()}));
  EXPECT_TRUE(trusted.ok()) << trusted.error_message();
  const grpc::Status pinned = ListScenarios(
      client::MakeControllerChannel(GrpcAddress(), {.token = token, .fingerprint = fingerprint}));
  EXPECT_TRUE(pinned.ok()) << pinned.error_message();

  // The client library does not send a token beyond loopback in plain text
  // (security.NetworkAddressTest); forced to, the controller refuses it.
  const grpc::Status plain = ListScenarios(
      client::MakeControllerChannel(GrpcAddress(), {.token = token, .allow_plaintext = true}));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE) << "plain text is refused";
  const grpc::Status wrong_pin = ListScenarios(client::MakeControllerChannel(
      GrpcAddress(), {.token = token, .fingerprint = std::string(64, 'a')}));
  EXPECT_EQ(wrong_pin.error_code(), grpc::StatusCode::UNAVAILABLE) << "not the pinned certificate";
  const grpc::Status anonymous =
      ListScenarios(client::MakeControllerChannel(GrpcAddress(), {.ca_file = ca.string()}));
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, DevicesOnTcpNeedTlsToo) {
  const v1::Session session = CreateSession();
  DeviceClient::Options options;
  options.transport = DeviceClient::Transport::kTcp;
  options.address = DeviceAddress();
  options.token = controller_.admin_token();
  options.connect_timeout = std::chrono::seconds(5);
  options.hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  options.hello.set_session_id(session.id());
  options.hello.mutable_identity()->set_manufacturer("Test Devices");
  options.hello.mutable_identity()->set_model("TLS Monitor");
  options.hello.mutable_identity()->set_serial("tls-1");

  grpc::Status status;
  options.hello.set_name("plain");
  options.allow_plaintext = true;
  EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr) << "plain text is refused";
  options.allow_plaintext = false;
  if (ConnectHost() != "127.0.0.1") {
    EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_NE(status.error_message().find("beyond loopback"), std::string::npos);
  }
  EXPECT_NE(log().find("TLS handshake failed"), std::string::npos) << log();

  options.hello.set_name("by-ca");
  options.ca_file = (controller_.data_dir() / "tls" / "ca.crt").string();
  std::unique_ptr<DeviceClient> by_ca = DeviceClient::Connect(options, &status);
  ASSERT_NE(by_ca, nullptr) << status.error_message();
  EXPECT_EQ(by_ca->welcome().session_id(), session.id());

  options.hello.set_name("pinned");
  options.ca_file.clear();
  options.tls_fingerprint =
      client::CertificateFingerprint(ReadText(controller_.data_dir() / "tls" / "server.crt"));
  std::unique_ptr<DeviceClient> pinned = DeviceClient::Connect(options, &status);
  ASSERT_NE(pinned, nullptr) << status.error_message();

  options.hello.set_name("wrong-pin");
  options.tls_fingerprint = std::string(64, 'b');
  EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();

  options.hello.set_name("gRPC");
  options.transport = DeviceClient::Transport::kGrpc;
  options.address = GrpcAddress();
  options.tls_fingerprint.clear();
  options.ca_file = (controller_.data_dir() / "tls" / "ca.crt").string();
  std::unique_ptr<DeviceClient> over_grpc = DeviceClient::Connect(options, &status);
  ASSERT_NE(over_grpc, nullptr) << status.error_message();
}

TEST_F(TlsTest, TheCertificateSurvivesARestartSoClientsKeepTrustingIt) {
  const std::string ca = ReadText(controller_.data_dir() / "tls" / "ca.crt");
  const std::string server = ReadText(controller_.data_dir() / "tls" / "server.crt");
  const std::filesystem::path data = controller_.data_dir();
  TempDir keep;
  std::filesystem::copy(data, keep.path() / "data", std::filesystem::copy_options::recursive);
  controller_.Terminate();
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, WithListen(host_, {}),
                              keep.path() / "data");
  EXPECT_EQ(ReadText(keep.path() / "data" / "tls" / "ca.crt"), ca);
  EXPECT_EQ(ReadText(keep.path() / "data" / "tls" / "server.crt"), server);
  EXPECT_TRUE(ListScenarios(restarted.channel()).ok());
}

class PlaintextTest : public TlsTest {
 protected:
  PlaintextTest() : TlsTest({"--allow-plaintext"}) {}
};

TEST_F(PlaintextTest, PlainTextBeyondLoopbackTakesAFlagAndIsWarnedAbout) {
  EXPECT_TRUE(ListScenarios(
                  client::MakeControllerChannel(
                      GrpcAddress(), {.token = controller_.admin_token(), .allow_plaintext = true}))
                  .ok());
  EXPECT_NE(log().find("--allow-plaintext: serving gRPC in plain text on " + host_),
            std::string::npos)
      << log();
  EXPECT_EQ(ListScenarios(client::MakeControllerChannel(GrpcAddress(), {.allow_plaintext = true}))
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED)
      << "tokens still";
}

}  // namespace
}  // namespace pedisim::testing

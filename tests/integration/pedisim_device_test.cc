// pedisim-device as a separate process joining a running session, over gRPC
// by session id and over TCP by pairing code, and following it to the end;
// and rejoining by itself when its controller is killed and restarted.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

// A child process with its output in a file.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> arguments, std::filesystem::path output)
      : output_(std::move(output)) {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* out = std::freopen(output_.c_str(), "w", stdout);
      (void)out;
      dup2(STDOUT_FILENO, STDERR_FILENO);
      std::vector<char*> argv;
      for (std::string& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      std::_Exit(127);
    }
  }
  ~ChildProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // The exit code, or -1 if it did not exit within the (generous) deadline.
  int Wait() {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  // True while the process has not exited.
  bool Running() {
    int status = 0;
    return pid_ > 0 && waitpid(pid_, &status, WNOHANG) == 0;
  }

  std::string Output() const {
    std::ifstream in(output_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  pid_t pid_ = -1;
  std::filesystem::path output_;
};

class PedisimDeviceTest : public ::testing::Test {
 protected:
  PedisimDeviceTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  v1::Session Get(const std::string& id) {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(id);
    v1::Session session;
    EXPECT_TRUE(sessions_->Get(&context, ref, &session).ok());
    return session;
  }

  TempDir temp_;
  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
};

TEST_F(PedisimDeviceTest, JoinsOverGrpcAndTcpAndFollowsTheSession) {
  v1::CreateSessionRequest request;
  request.set_scenario_id("test-short");
  request.set_speed(8);
  v1::Session created;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions_->Create(&context, request, &created).ok());
  }
  const std::filesystem::path script = temp_.path() / "team.actions.yaml";
  std::ofstream(script) << "actions:\n  - at_s: 4\n    action: {kind: oxygen, performer: Sam}\n";

  ChildProcess manikin({PEDISIM_DEVICE_BIN, "--controller", controller_.address(), "--token-file",
                        controller_.admin_token_file().string(), "--session", created.id(),
                        "--role", "manikin", "--actions", script.string()},
                       temp_.path() / "manikin.out");
  ChildProcess monitor(
      {PEDISIM_DEVICE_BIN, "--tcp", "127.0.0.1:" + std::to_string(controller_.device_tcp_port()),
       "--token-file", controller_.admin_token_file().string(), "--pairing-code",
       created.pairing_code(), "--role", "monitor", "--waveforms", "ecg_ii,pleth"},
      temp_.path() / "monitor.out");

  // Both join before the clock starts; the deadline only bounds a failure.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  v1::Session session = Get(created.id());
  while (session.devices_size() < 2 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    session = Get(created.id());
  }
  ASSERT_EQ(session.devices_size(), 2) << manikin.Output() << monitor.Output();
  EXPECT_TRUE(session.missing_capabilities().empty()) << "oxygen sensed, SpO2 shown";
  {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(created.id());
    v1::Session started;
    ASSERT_TRUE(sessions_->Start(&context, ref, &started).ok());
  }

  EXPECT_EQ(manikin.Wait(), 0) << manikin.Output();
  EXPECT_EQ(monitor.Wait(), 0) << monitor.Output();
  for (const std::string& output : {manikin.Output(), monitor.Output()}) {
    EXPECT_NE(output.find("joined session " + created.id()), std::string::npos) << output;
    EXPECT_NE(output.find("==> state: distress"), std::string::npos) << output;
    EXPECT_NE(output.find("oxygen by Sam"), std::string::npos) << output;
    EXPECT_NE(output.find("==> state: recovered"), std::string::npos) << output;
    EXPECT_NE(output.find("completed"), std::string::npos) << output;
  }
  EXPECT_NE(monitor.Output().find("over TCP"), std::string::npos);
  EXPECT_NE(manikin.Output().find("over gRPC"), std::string::npos);

  const v1::Session ended = Get(created.id());
  EXPECT_EQ(ended.status(), v1::SESSION_STATUS_COMPLETED);
  EXPECT_EQ(ended.current_state(), "recovered");
}

TEST_F(PedisimDeviceTest, ABadPairingCodeIsNotFound) {
  ChildProcess lost({PEDISIM_DEVICE_BIN, "--controller", controller_.address(), "--token-file",
                     controller_.admin_token_file().string(), "--pairing-code", "999999x"},
                    temp_.path() / "lost.out");
  EXPECT_EQ(lost.Wait(), 66) << lost.Output();
  EXPECT_NE(lost.Output().find("hello.pairing_code"), std::string::npos) << lost.Output();
}

// The finding: an unreachable controller over gRPC gave exit 1, not 69
// (unavailable) as pedisimctl does, and errors printed as "pedisimctl:".
TEST_F(PedisimDeviceTest, AnUnreachableControllerIsExit69UnderItsOwnName) {
  ChildProcess nowhere({PEDISIM_DEVICE_BIN, "--controller", "127.0.0.1:1", "--token-file",
                        controller_.admin_token_file().string(), "--pairing-code", "482913"},
                       temp_.path() / "nowhere.out");
  EXPECT_EQ(nowhere.Wait(), 69) << nowhere.Output();
  EXPECT_NE(nowhere.Output().find("pedisim-device: "), std::string::npos) << nowhere.Output();
  EXPECT_EQ(nowhere.Output().find("pedisimctl"), std::string::npos) << nowhere.Output();
}

// A loopback port nothing listens on now, for a controller that must come
// back on the same address after a restart.
int UnusedLoopbackPort() {
  const int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof(address);
  EXPECT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), size), 0);
  EXPECT_EQ(getsockname(probe, reinterpret_cast<sockaddr*>(&address), &size), 0);
  close(probe);
  return ntohs(address.sin_port);
}

// The names of the session's devices that are connected now.
std::set<std::string> ConnectedDevices(const ControllerProcess& controller, const std::string& id) {
  auto sessions = v1::SessionService::NewStub(controller.channel());
  grpc::ClientContext context;
  v1::SessionRef ref;
  ref.set_session_id(id);
  v1::Session session;
  std::set<std::string> connected;
  if (!sessions->Get(&context, ref, &session).ok()) return connected;
  for (const v1::Device& device : session.devices()) {
    if (device.status() == v1::DEVICE_STATUS_CONNECTED) connected.insert(device.name());
  }
  return connected;
}

bool WaitForConnected(const ControllerProcess& controller, const std::string& id,
                      const std::string& name) {
  // The deadline only bounds a failure.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < give_up) {
    if (ConnectedDevices(controller, id).contains(name)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The controller is stopped mid-class (kill -9, or SIGTERM as a service
// restart does) and restarted on the same data folder and address:
// pedisim-device, joined by pairing code, keeps trying (the restarted
// controller says the session waits for a Resume) and rejoins by the same
// code once an instructor resumes the class; it ends with the session. One
// joined by session id does the same.
void ExpectDevicesRejoinARestartedController(bool kill_nine) {
  TempDir temp;
  TempDir data;
  const std::string listen = "127.0.0.1:" + std::to_string(UnusedLoopbackPort());
  v1::Session created;
  auto controller = std::make_unique<ControllerProcess>(
      PEDISIM_TEST_SCENARIOS_DIR, std::vector<std::string>{"--listen", listen}, data.path());
  {
    auto sessions = v1::SessionService::NewStub(controller->channel());
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    request.set_speed(0.25);
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, request, &created).ok());
  }
  const std::string token_file = (temp.path() / "admin.token").string();
  std::filesystem::copy_file(controller->admin_token_file(), token_file);
  ChildProcess by_code(
      {PEDISIM_DEVICE_BIN, "--controller", listen, "--token-file", token_file, "--pairing-code",
       created.pairing_code(), "--role", "monitor", "--name", "room-monitor", "--serial", "M-1"},
      temp.path() / "by_code.out");
  ChildProcess by_id(
      {PEDISIM_DEVICE_BIN, "--controller", listen, "--token-file", token_file, "--session",
       created.id(), "--role", "manikin", "--name", "manikin", "--serial", "K-1"},
      temp.path() / "by_id.out");
  ASSERT_TRUE(WaitForConnected(*controller, created.id(), "room-monitor")) << by_code.Output();
  ASSERT_TRUE(WaitForConnected(*controller, created.id(), "manikin")) << by_id.Output();
  {
    auto sessions = v1::SessionService::NewStub(controller->channel());
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(created.id());
    v1::Session started;
    ASSERT_TRUE(sessions->Start(&context, ref, &started).ok());
  }

  if (kill_nine) {
    controller->Kill();
  } else {
    EXPECT_EQ(controller->Terminate(), 0);
  }
  controller.reset();
  controller = std::make_unique<ControllerProcess>(
      PEDISIM_TEST_SCENARIOS_DIR, std::vector<std::string>{"--listen", listen}, data.path());
  // Until the class is resumed the devices are told to wait, and do.
  const auto waited = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < waited) {
    ASSERT_TRUE(by_code.Running()) << by_code.Output();
    ASSERT_TRUE(by_id.Running()) << by_id.Output();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto sessions = v1::SessionService::NewStub(controller->channel());
  v1::SessionRef ref;
  ref.set_session_id(created.id());
  {
    grpc::ClientContext context;
    v1::Session resumed;
    const grpc::Status status = sessions->Resume(&context, ref, &resumed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(resumed.pairing_code(), created.pairing_code());
  }
  EXPECT_TRUE(WaitForConnected(*controller, created.id(), "room-monitor")) << by_code.Output();
  EXPECT_TRUE(WaitForConnected(*controller, created.id(), "manikin")) << by_id.Output();
  EXPECT_TRUE(by_code.Running()) << by_code.Output();
  EXPECT_TRUE(by_id.Running()) << by_id.Output();
  EXPECT_NE(by_code.Output().find("rejoined session " + created.id()), std::string::npos)
      << by_code.Output();
  EXPECT_NE(by_code.Output().find("waits for an instructor to resume it"), std::string::npos)
      << by_code.Output();

  // The session ends: both follow it out with 0.
  {
    grpc::ClientContext context;
    v1::Session stopped;
    ASSERT_TRUE(sessions->Stop(&context, ref, &stopped).ok());
  }
  EXPECT_EQ(by_code.Wait(), 0) << by_code.Output();
  EXPECT_EQ(by_id.Wait(), 0) << by_id.Output();
}

TEST(PedisimDeviceRejoinTest, RejoinsAControllerRestartedAfterKillNine) {
  ExpectDevicesRejoinARestartedController(/*kill_nine=*/true);
}

TEST(PedisimDeviceRejoinTest, RejoinsAControllerRestartedAfterSigterm) {
  ExpectDevicesRejoinARestartedController(/*kill_nine=*/false);
}

// A session that ended while its device was away is not waited for: the
// device gives up with the controller's answer instead of retrying forever.
TEST(PedisimDeviceRejoinTest, GivesUpWhenTheSessionIsGone) {
  TempDir temp;
  TempDir data;
  const std::string listen = "127.0.0.1:" + std::to_string(UnusedLoopbackPort());
  auto controller = std::make_unique<ControllerProcess>(
      PEDISIM_TEST_SCENARIOS_DIR, std::vector<std::string>{"--listen", listen}, data.path());
  v1::Session created;
  {
    auto sessions = v1::SessionService::NewStub(controller->channel());
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, request, &created).ok());
  }
  const std::string token_file = (temp.path() / "admin.token").string();
  std::filesystem::copy_file(controller->admin_token_file(), token_file);
  ChildProcess device({PEDISIM_DEVICE_BIN, "--controller", listen, "--token-file", token_file,
                       "--pairing-code", created.pairing_code(), "--role", "monitor"},
                      temp.path() / "device.out");
  ASSERT_TRUE(WaitForConnected(*controller, created.id(), "monitor")) << device.Output();
  controller->Kill();
  controller.reset();
  // The restarted controller has the record, interrupted; deleting it ends
  // the class for good.
  controller = std::make_unique<ControllerProcess>(
      PEDISIM_TEST_SCENARIOS_DIR, std::vector<std::string>{"--listen", listen}, data.path());
  auto debrief = v1::DebriefService::NewStub(controller->channel());
  {
    grpc::ClientContext context;
    v1::RecordingRef ref;
    ref.set_session_id(created.id());
    v1::DeleteRecordingResponse deleted;
    const grpc::Status status = debrief->DeleteRecording(&context, ref, &deleted);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(device.Wait(), 66) << device.Output();
  EXPECT_NE(device.Output().find("hello.pairing_code"), std::string::npos) << device.Output();
}

}  // namespace
}  // namespace pedisim::testing

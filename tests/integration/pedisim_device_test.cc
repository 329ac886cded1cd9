// pedisim-device as a separate process joining a running session, over gRPC
// by session id and over TCP by pairing code, and following it to the end.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "controller_process.h"
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

}  // namespace
}  // namespace pedisim::testing

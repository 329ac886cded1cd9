// The monitor never shows a frozen patient: with a real controller killed
// (SIGKILL, as in a crash: its sockets close) or frozen (SIGSTOP: nothing
// closes, nothing comes) under a running pedisim-monitor, the monitor says
// NO DATA, and the test reports how long that took (the issue asks for
// under 3 s; the design is 2 s without word from the controller). A frozen
// controller that comes back (SIGCONT) brings the same session back on the
// screen. Figures are printed, and bounded generously only against a hang.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

bool StatusHas(const std::filesystem::path& file, const std::string& what) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= what.size() &&
        line.compare(line.size() - what.size(), what.size(), what) == 0)
      return true;
  }
  return false;
}

bool WaitFor(const std::filesystem::path& file, const std::string& what,
             std::chrono::seconds bound) {
  const auto give_up = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < give_up) {
    if (StatusHas(file, what)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(MonitorNoDataTest, KillingTheControllerShowsNoDataRatherThanAFrozenPatient) {
  ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR);
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
  const std::filesystem::path status = temp.path() / "status.txt";
  const std::filesystem::path png = temp.path() / "no-data.png";
  CommandResult result;
  // Runs until about 12 s after its traces fill (the frames), whatever
  // happens to the controller.
  std::thread monitor([&] {
    result = RunCommand(std::string(PEDISIM_MONITOR_BIN) + " --headless --no-audio --controller " +
                        controller.address() + " --token-file '" +
                        controller.admin_token_file().string() + "' --pairing-code " +
                        session.pairing_code() + " --size 1280x720 --content-timeout-s 8" +
                        " --frames 720 --status-file '" + status.string() + "' --screenshot '" +
                        png.string() + "'");
  });
  ASSERT_TRUE(WaitFor(status, " live", std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const auto killed = std::chrono::steady_clock::now();
  controller.Kill();
  const bool no_data = WaitFor(status, " no-data", std::chrono::seconds(30));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  monitor.join();
  ASSERT_TRUE(no_data) << result.output;
  std::cout << "NO DATA shown " << seconds << " s after the controller was killed\n";
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // It keeps trying: the link never came back, and the screen said so to
  // the end (the last state in the file is no-data).
  std::ifstream in(status);
  std::string line;
  std::string last_state;
  while (std::getline(in, line)) {
    if (line.find("pressed") == std::string::npos && line.find("audio") == std::string::npos) {
      last_state = line.substr(line.find(' ') + 1);
    }
  }
  EXPECT_EQ(last_state, "no-data");
}

int CountLines(const std::filesystem::path& file, const std::string& what) {
  std::ifstream in(file);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    count += line.size() >= what.size() &&
             line.compare(line.size() - what.size(), what.size(), what) == 0;
  }
  return count;
}

TEST(MonitorNoDataTest, AFrozenControllerShowsNoDataAndTheSessionComesBackWithIt) {
  ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR);
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
  const std::filesystem::path status = temp.path() / "status.txt";
  CommandResult result;
  std::thread monitor([&] {
    result = RunCommand(std::string(PEDISIM_MONITOR_BIN) + " --headless --no-audio --controller " +
                        controller.address() + " --token-file '" +
                        controller.admin_token_file().string() + "' --pairing-code " +
                        session.pairing_code() + " --size 1280x720 --content-timeout-s 8" +
                        " --frames 900 --status-file '" + status.string() + "'");
  });
  ASSERT_TRUE(WaitFor(status, " live", std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const auto frozen = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(controller.pid(), SIGSTOP), 0);
  const bool no_data = WaitFor(status, " no-data", std::chrono::seconds(30));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - frozen).count();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_EQ(kill(controller.pid(), SIGCONT), 0);
  const auto thawed = std::chrono::steady_clock::now();
  // Live again: the second "live" line.
  const auto give_up = thawed + std::chrono::seconds(30);
  while (CountLines(status, " live") < 2 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double back_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - thawed).count();
  monitor.join();
  ASSERT_TRUE(no_data) << result.output;
  std::cout << "frozen controller: NO DATA shown " << seconds << " s after SIGSTOP; live again "
            << back_s << " s after SIGCONT\n";
  EXPECT_EQ(CountLines(status, " live"), 2) << result.output;
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // The same session: the controller still lists the monitor in it.
  grpc::ClientContext get_context;
  v1::Session now;
  ASSERT_TRUE(sessions->Get(&get_context, ref, &now).ok());
  bool monitor_listed = false;
  for (const v1::Device& device : now.devices()) monitor_listed |= device.name() == "monitor";
  EXPECT_TRUE(monitor_listed);
}

}  // namespace
}  // namespace pedisim::testing

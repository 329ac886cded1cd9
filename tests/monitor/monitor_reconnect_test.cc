// The monitor reconnects by itself: between a real pedisim-monitor (TCP
// transport) and a real controller sits a relay the test controls. The
// relay cuts every connection and refuses new ones for a while (a cable
// pulled); the monitor says NO DATA, keeps trying, and once the relay lets
// it through again rejoins the same session in its own place. Times are
// printed; the bounds only stop a hang.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

// A TCP relay on loopback to `target_port`, which can cut every
// connection and stop accepting, then accept again on the same port.
class Relay {
 public:
  explicit Relay(int target_port) : target_port_(target_port) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_, 16);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~Relay() {
    stopping_ = true;
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    Cut();
    acceptor_.join();
    for (std::thread& pump : pumps_) pump.join();
  }

  int port() const { return port_; }
  // Connections are refused (closed at once) while off.
  void SetOpen(bool open) { open_ = open; }
  // Closes every relayed connection, as a pulled cable ends them.
  void Cut() {
    std::lock_guard lock(mu_);
    for (int fd : sockets_) shutdown(fd, SHUT_RDWR);
  }

 private:
  void Accept() {
    while (!stopping_) {
      const int client = accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      if (!open_) {
        close(client);
        continue;
      }
      const int server = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<uint16_t>(target_port_));
      if (connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(client);
        close(server);
        continue;
      }
      std::lock_guard lock(mu_);
      sockets_.push_back(client);
      sockets_.push_back(server);
      pumps_.emplace_back([client, server] { Pump(client, server); });
      pumps_.emplace_back([client, server] { Pump(server, client); });
    }
  }
  static void Pump(int from, int to) {
    char buffer[16384];
    while (true) {
      const ssize_t got = read(from, buffer, sizeof buffer);
      if (got <= 0) break;
      if (write(to, buffer, static_cast<size_t>(got)) != got) break;
    }
    shutdown(to, SHUT_RDWR);
    shutdown(from, SHUT_RDWR);
  }

  const int target_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> open_ = true;
  std::atomic<bool> stopping_ = false;
  std::mutex mu_;
  std::vector<int> sockets_;
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

int CountStates(const std::filesystem::path& file, const std::string& state) {
  std::ifstream in(file);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    count += line.size() > state.size() &&
             line.compare(line.size() - state.size() - 1, state.size() + 1, " " + state) == 0;
  }
  return count;
}

bool WaitForCount(const std::filesystem::path& file, const std::string& state, int count) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < give_up) {
    if (CountStates(file, state) >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(MonitorReconnectTest, ACutLinkShowsNoDataAndTheMonitorRejoinsItsSessionByItself) {
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

  Relay relay(controller.device_tcp_port());
  TempDir temp;
  const std::filesystem::path status = temp.path() / "status.txt";
  CommandResult result;
  std::thread monitor([&] {
    result = RunCommand(std::string(PEDISIM_MONITOR_BIN) +
                        " --headless --no-audio --tcp 127.0.0.1:" + std::to_string(relay.port()) +
                        " --token-file '" + controller.admin_token_file().string() +
                        "' --pairing-code " + session.pairing_code() +
                        " --content-timeout-s 20 --frames 600" + " --status-file '" +
                        status.string() + "'");
  });
  ASSERT_TRUE(WaitForCount(status, "live", 1));
  relay.SetOpen(false);
  const auto cut = std::chrono::steady_clock::now();
  relay.Cut();
  ASSERT_TRUE(WaitForCount(status, "no-data", 1));
  const double no_data_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - cut).count();
  // Refused for 3 s: the monitor keeps trying (0.5 s, 1 s, 2 s...).
  std::this_thread::sleep_for(std::chrono::seconds(3));
  relay.SetOpen(true);
  const auto reopened = std::chrono::steady_clock::now();
  const bool back = WaitForCount(status, "live", 2);
  const double back_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - reopened).count();
  monitor.join();
  ASSERT_TRUE(back) << result.output;
  std::cout << "cut link: NO DATA after " << no_data_s << " s; live again " << back_s
            << " s after the relay reopened\n";
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // The same session, and the monitor in its own place (one 'monitor').
  grpc::ClientContext get_context;
  v1::Session now;
  ASSERT_TRUE(sessions->Get(&get_context, ref, &now).ok());
  int monitors = 0;
  for (const v1::Device& device : now.devices()) monitors += device.name() == "monitor";
  EXPECT_EQ(monitors, 1);
}

}  // namespace
}  // namespace pedisim::testing

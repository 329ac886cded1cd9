#pragma once

// A pedisim-monitor process a test starts, follows through its --status-file
// and stops when it has seen what it needed (rather than waiting for a
// fixed number of frames): the TLS and resume tests.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>

extern char** environ;

namespace pedisim::testing {

class MonitorProcess {
 public:
  // Runs `PEDISIM_MONITOR_BIN --headless --no-audio --status-file F
  // <flags>`, its output in `folder`/monitor.log.
  MonitorProcess(const std::filesystem::path& folder, const std::string& flags)
      : status_file_(folder / "status.txt"), log_file_(folder / "monitor.log") {
    const std::string command = std::string("exec ") + PEDISIM_MONITOR_BIN +
                                " --headless --no-audio --size 1280x720 --status-file '" +
                                status_file_.string() + "' " + flags + " > '" + log_file_.string() +
                                "' 2>&1";
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    if (posix_spawn(&pid_, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
      throw std::runtime_error("cannot start pedisim-monitor");
    }
  }
  ~MonitorProcess() { Stop(); }
  MonitorProcess(const MonitorProcess&) = delete;
  MonitorProcess& operator=(const MonitorProcess&) = delete;

  // How many status lines end with `state` ("live", "no-data").
  int Count(const std::string& state) const {
    const std::string ending = " " + state;
    std::ifstream in(status_file_);
    std::string line;
    int count = 0;
    while (std::getline(in, line)) {
      count += line.size() >= ending.size() &&
               line.compare(line.size() - ending.size(), ending.size(), ending) == 0;
    }
    return count;
  }

  // Waits until `state` has been reported `times` times; false after
  // `bound` (only against a hang) or when the monitor exited.
  bool WaitFor(const std::string& state, int times,
               std::chrono::seconds bound = std::chrono::seconds(60)) {
    const auto give_up = std::chrono::steady_clock::now() + bound;
    while (Count(state) < times) {
      if (std::chrono::steady_clock::now() > give_up || Exited()) return Count(state) >= times;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  std::string log() const {
    std::ifstream in(log_file_);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  // Ends the monitor (SIGTERM, then SIGKILL if it lingers) and reaps it.
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!Exited()) {
      if (std::chrono::steady_clock::now() > give_up) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  bool Exited() {
    if (pid_ <= 0) return true;
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    return false;
  }

  std::filesystem::path status_file_;
  std::filesystem::path log_file_;
  pid_t pid_ = -1;
};

}  // namespace pedisim::testing

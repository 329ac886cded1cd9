#include "mllp_peer_process.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace pedisim::testing {

bool Eventually(const std::function<bool()>& done, const std::string& what) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) {
      ADD_FAILURE() << "gave up waiting for " << what;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

MllpPeerProcess::MllpPeerProcess(const Options& options) {
  std::string pattern = (std::filesystem::temp_directory_path() / "pedisim-mllp-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  work_dir_ = pattern;
  const std::filesystem::path port_file = work_dir_ / "port";
  const std::string log_file = (work_dir_ / "peer.log").string();
  pid_ = fork();
  if (pid_ == 0) {
    FILE* log = std::freopen(log_file.c_str(), "w", stderr);
    (void)log;
    std::vector<std::string> arguments = {"/usr/bin/python3",
                                          PEDISIM_MLLP_PEER_SCRIPT,
                                          "--port-file",
                                          port_file.string(),
                                          "--out",
                                          (work_dir_ / "received.jsonl").string(),
                                          "--ack",
                                          options.ack,
                                          "--close-after",
                                          std::to_string(options.close_after)};
    if (options.listen_later) {
      arguments.push_back("--listen-when");
      arguments.push_back((work_dir_ / "listen").string());
    }
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    execv("/usr/bin/python3", argv.data());
    std::_Exit(127);
  }
  Eventually(
      [&] {
        std::ifstream in(port_file);
        int port = 0;
        if (in >> port) port_ = static_cast<uint16_t>(port);
        int status = 0;
        if (port_ == 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          ADD_FAILURE() << "the MLLP peer exited early; see " << log_file;
          return true;
        }
        return port_ != 0;
      },
      "the MLLP peer's port file");
}

MllpPeerProcess::~MllpPeerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
}

void MllpPeerProcess::Listen() { std::ofstream(work_dir_ / "listen") << "go\n"; }

std::vector<google::protobuf::Struct> MllpPeerProcess::Received() const {
  std::vector<google::protobuf::Struct> received;
  std::ifstream in(work_dir_ / "received.jsonl");
  for (std::string line; std::getline(in, line);) {
    google::protobuf::Struct record;
    // A line still being written has no newline yet and fails to parse;
    // the next call reads it whole.
    if (google::protobuf::util::JsonStringToMessage(line, &record).ok()) {
      received.push_back(std::move(record));
    }
  }
  return received;
}

std::vector<google::protobuf::Struct> MllpPeerProcess::WaitUntil(
    const std::function<bool(const std::vector<google::protobuf::Struct>&)>& done) const {
  std::vector<google::protobuf::Struct> received;
  Eventually(
      [&] {
        received = Received();
        return done(received);
      },
      "the MLLP peer to receive the expected messages");
  return received;
}

}  // namespace pedisim::testing

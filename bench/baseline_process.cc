#include "bench/baseline_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace pedisim::bench {

BaselineProcess::BaselineProcess(const std::vector<std::string>& args) {
  const std::string port_file = (folder_.path() / "port").string();
  const std::string output_file = (folder_.path() / "server.out").string();
  std::vector<std::string> argv_strings = {"baseline-server"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  argv_strings.push_back("--port-file");
  argv_strings.push_back(port_file);
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("baseline: fork failed");
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec: the parent may
    // have threads (gRPC's) holding locks.
    const int output = open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (output < 0 || dup2(output, STDOUT_FILENO) < 0) std::_Exit(126);
    execv("/proc/self/exe", argv.data());
    std::_Exit(127);
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (port_ == 0 && std::chrono::steady_clock::now() < give_up) {
    std::ifstream in(port_file);
    if (!(in >> port_)) {
      port_ = 0;
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("baseline: the server process exited before serving");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (port_ == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("baseline: the server process wrote no port file");
  }
}

BaselineProcess::~BaselineProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string BaselineProcess::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("baseline: the server process failed");
  }
  std::ifstream in(folder_.path() / "server.out");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WritePortFile(const std::string& path, int port) {
  {
    std::ofstream out(path + ".tmp");
    out << port << "\n";
  }
  std::filesystem::rename(path + ".tmp", path);
}

}  // namespace pedisim::bench

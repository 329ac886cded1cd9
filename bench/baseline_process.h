#pragma once

// A load tool's baseline server in a process of its own, as the controller
// is: the tool's own binary re-executed with the arguments that make it serve
// the baseline. The server writes its port with WritePortFile and prints what
// it measured on stdout, which Wait returns.

#include <sys/types.h>

#include <string>
#include <vector>

#include "controller_process.h"

namespace pedisim::bench {

class BaselineProcess {
 public:
  // Runs /proc/self/exe `args` --port-file FILE and waits (60 s at most)
  // until it has written its port. Throws std::runtime_error if it does not.
  // The child execs at once, so it never runs with this process's (gRPC's)
  // threads half-copied.
  explicit BaselineProcess(const std::vector<std::string>& args);
  // Kills the server if Wait was not called.
  ~BaselineProcess();
  BaselineProcess(const BaselineProcess&) = delete;
  BaselineProcess& operator=(const BaselineProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Waits for the server to exit; returns its stdout. Throws unless it
  // exited with 0.
  std::string Wait();

 private:
  testing::TempDir folder_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The server's side: writes `port` to `path` so that it appears whole.
void WritePortFile(const std::string& path, int port);

}  // namespace pedisim::bench

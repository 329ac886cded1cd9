#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace pedisim::testing {

// What a command a test ran printed and how it ended.
struct CommandResult {
  int exit_code = -1;  // -1: it did not exit (a signal), or could not run
  std::string output;  // stdout and stderr together
};

// Runs `command` with /bin/sh and waits for it.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    result.output = "popen failed";
    return result;
  }
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, read);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace pedisim::testing

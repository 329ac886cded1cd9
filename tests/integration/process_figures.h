#pragma once

#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace pedisim::testing {

// What a process holds, from /proc: open file descriptors (sockets among
// them), threads, and resident memory.
struct ProcessFigures {
  size_t open_fds = 0;
  size_t threads = 0;
  size_t rss_kib = 0;
};

inline ProcessFigures FiguresOf(pid_t pid) {
  ProcessFigures figures;
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  std::error_code error;
  for (std::filesystem::directory_iterator fd(proc / "fd", error), end; !error && fd != end;
       fd.increment(error)) {
    ++figures.open_fds;
  }
  std::ifstream status(proc / "status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("Threads:")) figures.threads = std::stoul(line.substr(8));
    if (line.starts_with("VmRSS:")) figures.rss_kib = std::stoul(line.substr(6));
  }
  return figures;
}

}  // namespace pedisim::testing

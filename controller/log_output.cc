#include "controller/log_output.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace pedisim {

namespace {

// Whether stderr is the journal stream systemd connected ($JOURNAL_STREAM is
// "device:inode" of it; a program it starts may have redirected stderr since).
bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat status {};
  if (fstat(STDERR_FILENO, &status) != 0) return false;
  return status.st_dev == device && status.st_ino == inode;
}

// "%*": the sd-daemon priority prefix of the message's level (sd-daemon.h).
class JournalPriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& destination) override {
    const char* prefix = "<6>";
    switch (message.level) {
      case spdlog::level::critical:
        prefix = "<2>";
        break;
      case spdlog::level::err:
        prefix = "<3>";
        break;
      case spdlog::level::warn:
        prefix = "<4>";
        break;
      case spdlog::level::info:
        prefix = "<6>";
        break;
      default:
        prefix = "<7>";
        break;
    }
    destination.append(prefix, prefix + 3);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JournalPriorityFlag>();
  }
};

}  // namespace

void SetUpLogOutput(const std::string& level) {
  if (StderrIsJournal()) {
    // journald adds the time, the unit and the process id itself.
    auto logger = spdlog::stderr_logger_mt("pedisim");
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JournalPriorityFlag>('*').set_pattern("%*%v");
    logger->set_formatter(std::move(formatter));
    spdlog::set_default_logger(logger);
  } else if (isatty(STDERR_FILENO)) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("pedisim"));
  } else {
    auto logger = spdlog::stderr_logger_mt("pedisim");
    logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
    spdlog::set_default_logger(logger);
  }
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace pedisim

#include "controller/exhaustion_watch.h"

#include <dirent.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>

namespace pedisim {

namespace {

// Open descriptors of this process; -1 when none is left to count them with.
long OpenFiles() {
  DIR* folder = opendir("/proc/self/fd");
  if (folder == nullptr) return errno == EMFILE || errno == ENFILE ? -1 : 0;
  long count = 0;
  while (readdir(folder) != nullptr) ++count;
  closedir(folder);
  return count - 3;  // ".", ".." and the folder's own descriptor
}

}  // namespace

ExhaustionWatch::ExhaustionWatch(limits::LimitCounters& counters)
    : counters_(counters), watcher_([this] { Run(); }) {}

ExhaustionWatch::~ExhaustionWatch() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  watcher_.join();
}

bool ExhaustionWatch::CheckOpenFiles() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
  const long open = OpenFiles();
  const long allowed = static_cast<long>(limit.rlim_cur);
  if (open >= 0 && open < allowed - kReserve) return false;
  counters_.Hit(limits::Limit::kOpenFiles);
  const auto now = std::chrono::steady_clock::now();
  if (!last_logged_ || now - *last_logged_ >= kLogInterval) {
    last_logged_ = now;
    spdlog::error(
        "out of file descriptors: {} of {} open (RLIMIT_NOFILE); new clients and devices cannot "
        "connect. Raise the limit (LimitNOFILE= in the service unit) or end sessions",
        open < 0 ? allowed : open, allowed);
  }
  return true;
}

void ExhaustionWatch::Run() {
  std::unique_lock lock(mu_);
  while (!closing_) {
    wake_.wait_for(lock, kCheckInterval, [this] { return closing_; });
    if (closing_) break;
    lock.unlock();
    CheckOpenFiles();
    lock.lock();
  }
}

}  // namespace pedisim

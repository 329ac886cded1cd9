#include "controller/disk_watch.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>

namespace pedisim {

DiskWatch::DiskWatch(session::SessionManager& sessions)
    : sessions_(sessions), watcher_([this] { Run(); }) {}

DiskWatch::~DiskWatch() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  watcher_.join();
}

bool DiskWatch::Check() {
  const std::optional<std::string> shortfall = sessions_.FreeDiskShortfall();
  if (!shortfall) {
    if (low_) {
      spdlog::info("the data folder's disk has room again; paused sessions can be resumed");
      low_ = false;
    }
    return false;
  }
  if (!low_) {
    spdlog::error("{}: running sessions are paused until space is freed", *shortfall);
    low_ = true;
    // Counted once each time the disk runs low (GetLimits, min-free-disk-mb).
    sessions_.CountLowDisk();
  }
  // Each check, not only the first: a session resumed meanwhile (before the
  // disk ran low again) is paused too.
  sessions_.PauseAllForLowDisk(*shortfall +
                               ": paused by the system before its record runs out of room; "
                               "free space (delete recordings), then resume");
  return true;
}

void DiskWatch::Run() {
  std::unique_lock lock(mu_);
  while (!closing_) {
    wake_.wait_for(lock, kCheckInterval, [this] { return closing_; });
    if (closing_) break;
    lock.unlock();
    try {
      Check();
    } catch (const std::exception& error) {
      spdlog::warn("disk watch: {}", error.what());
    }
    lock.lock();
  }
}

}  // namespace pedisim

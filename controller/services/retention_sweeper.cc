#include "controller/services/retention_sweeper.h"

#include <spdlog/spdlog.h>

namespace pedisim::services {

RetentionSweeper::RetentionSweeper(recording::RecordingCatalog& recordings,
                                   DebriefServiceImpl& debrief, int days)
    : recordings_(recordings), debrief_(debrief), days_(days) {
  Sweep();
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_.wait_for(lock, std::chrono::hours(1), [this] { return stopping_; })) {
      lock.unlock();
      Sweep();
      lock.lock();
    }
  });
}

RetentionSweeper::~RetentionSweeper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
}

int RetentionSweeper::Sweep() {
  int deleted = 0;
  for (const std::string& id : recordings_.OlderThan(days_, std::chrono::system_clock::now())) {
    const grpc::Status status = debrief_.Delete(id);
    if (status.ok()) {
      ++deleted;
    } else {
      spdlog::warn("retention: recording {} kept: {}", id, status.error_message());
    }
  }
  if (deleted > 0) {
    spdlog::info("retention: deleted {} recordings older than {} days", deleted, days_);
  }
  return deleted;
}

}  // namespace pedisim::services

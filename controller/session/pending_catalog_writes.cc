#include "controller/session/pending_catalog_writes.h"

#include <spdlog/spdlog.h>

namespace pedisim::session {

PendingCatalogWrites::PendingCatalogWrites(recording::RecordingCatalog& catalog)
    : catalog_(catalog), retrier_([this] { RunRetries(); }) {}

PendingCatalogWrites::~PendingCatalogWrites() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  retrier_.join();
}

void PendingCatalogWrites::Apply(const std::string& session_id, const Write& write) {
  if (write.remove) {
    catalog_.Remove(session_id);
  } else {
    catalog_.MarkEnded(write.final_session, write.size_bytes, write.status);
  }
}

void PendingCatalogWrites::Keep(const std::string& session_id, Write write) {
  std::lock_guard lock(mu_);
  // Nothing older may land after it: what waits is tried first, and while
  // anything still waits this joins it.
  if (RetryLocked()) {
    try {
      Apply(session_id, write);
      return;
    } catch (const std::exception& error) {
      spdlog::warn("catalog: session {} will be written once it can be: {}", session_id,
                   error.what());
    }
  }
  waiting_[session_id] = std::move(write);
  wake_.notify_all();
}

void PendingCatalogWrites::MarkEnded(const v1::Session& final_session, uint64_t size_bytes,
                                     v1::RecordingStatus status) {
  Keep(final_session.id(), Write{.remove = false,
                                 .final_session = final_session,
                                 .size_bytes = size_bytes,
                                 .status = status});
}

void PendingCatalogWrites::Remove(const std::string& session_id) {
  Write removal;
  removal.remove = true;
  Keep(session_id, std::move(removal));
}

bool PendingCatalogWrites::Retry() {
  std::lock_guard lock(mu_);
  return RetryLocked();
}

bool PendingCatalogWrites::RetryLocked() {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    try {
      Apply(it->first, it->second);
      spdlog::info("catalog: session {} written", it->first);
      it = waiting_.erase(it);
    } catch (const std::exception&) {
      return false;  // still no room; the order of the rest is kept
    }
  }
  return true;
}

size_t PendingCatalogWrites::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_.size();
}

void PendingCatalogWrites::RunRetries() {
  std::unique_lock lock(mu_);
  while (!closing_) {
    if (waiting_.empty()) {
      wake_.wait(lock, [this] { return closing_ || !waiting_.empty(); });
      continue;
    }
    wake_.wait_for(lock, kRetryInterval);
    RetryLocked();
  }
}

}  // namespace pedisim::session

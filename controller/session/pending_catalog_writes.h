#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "controller/recording/recording_catalog.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

// Catalog writes that must not be lost when the catalog cannot be written
// (a full disk): a session's end and a deleted recording's row. Each is
// written at once when it can be, else again every second (and at each
// Retry) until the catalog takes it, so that rows end correct once there is
// room again, without a restart. The latest write for a session wins.
class PendingCatalogWrites {
 public:
  static constexpr std::chrono::seconds kRetryInterval{1};

  explicit PendingCatalogWrites(recording::RecordingCatalog& catalog);
  ~PendingCatalogWrites();
  PendingCatalogWrites(const PendingCatalogWrites&) = delete;
  PendingCatalogWrites& operator=(const PendingCatalogWrites&) = delete;

  // RecordingCatalog::MarkEnded, now or later.
  void MarkEnded(const v1::Session& final_session, uint64_t size_bytes, v1::RecordingStatus status);
  // RecordingCatalog::Remove, now or later.
  void Remove(const std::string& session_id);
  // Writes what waits now; true when nothing is left waiting.
  bool Retry();
  size_t waiting() const;

 private:
  struct Write {
    bool remove = false;
    v1::Session final_session;
    uint64_t size_bytes = 0;
    v1::RecordingStatus status = v1::RECORDING_STATUS_UNSPECIFIED;
  };
  // Throws what the catalog throws.
  void Apply(const std::string& session_id, const Write& write);
  void Keep(const std::string& session_id, Write write);
  bool RetryLocked();
  void RunRetries();

  recording::RecordingCatalog& catalog_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::string, Write> waiting_;
  bool closing_ = false;
  std::thread retrier_;
};

}  // namespace pedisim::session

#pragma once

#include <grpcpp/support/status.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/record_file/record_reader.h"
#include "pedisim/v1/debrief_service.pb.h"
#include "pedisim/v1/recording.pb.h"

namespace pedisim::recording {

struct CatalogFilter {
  std::string learner;
  std::string scenario_id;
  std::optional<int64_t> since_unix_s;
  uint32_t limit = 0;
  // Archived recordings are left out unless this is set.
  bool include_archived = false;
  // Only recordings with this status.
  std::optional<v1::RecordingStatus> status;
};

// The list of recorded sessions, in `<data>/catalog.sqlite3`. It is an index,
// not the truth: the record files are, and the catalog is rebuilt from them
// when it is missing or damaged. On opening it also recovers from a crash:
// every record not known to have ended is scanned, a torn tail is cut, and
// the session is listed as interrupted. Thread-safe.
class RecordingCatalog {
 public:
  // Throws std::runtime_error when the database cannot be opened or made.
  explicit RecordingCatalog(std::filesystem::path data_dir);
  ~RecordingCatalog();
  RecordingCatalog(const RecordingCatalog&) = delete;
  RecordingCatalog& operator=(const RecordingCatalog&) = delete;

  static std::filesystem::path SessionsDir(const std::filesystem::path& data_dir) {
    return data_dir / "sessions";
  }

  // A session began recording into `record`.
  void AddLive(const v1::RecordHeader& header, const std::filesystem::path& record);
  // It ended; `size_bytes` is its record's size. `status` is COMPLETE, or
  // INTERRUPTED when the record's end could not be written (a full disk):
  // the next start scans it again.
  void MarkEnded(const v1::Session& final_session, uint64_t size_bytes, v1::RecordingStatus status);
  // An interrupted session runs again (resumed after a restart).
  void MarkLive(const std::string& session_id);

  std::vector<v1::Recording> List(const CatalogFilter& filter) const;
  std::optional<v1::Recording> Get(const std::string& session_id) const;
  std::optional<std::filesystem::path> RecordPath(const std::string& session_id) const;
  // False when there is no such recording.
  bool SetLocked(const std::string& session_id, bool locked);
  // Archives or restores an ended recording. NOT_FOUND; FAILED_PRECONDITION
  // (archiving) for one live or interrupted; OK.
  grpc::Status SetArchived(const std::string& session_id, bool archived);
  void Remove(const std::string& session_id);
  // Removes the row unless the session is live or its recording locked, in
  // one step (a lock taken meanwhile wins); the caller then deletes the
  // files. NOT_FOUND, FAILED_PRECONDITION naming why, or OK.
  grpc::Status RemoveIfDeletable(const std::string& session_id);
  // Unlocked, ended recordings created more than `days` ago.
  std::vector<std::string> OlderThan(int days, std::chrono::system_clock::time_point now) const;

  // What the last opening did, for the log and the tests.
  struct Recovery {
    bool rebuilt = false;
    int scanned = 0;
    int interrupted = 0;
    int torn_tails_cut = 0;
    int unreadable = 0;
  };
  const Recovery& recovery() const { return recovery_; }

 private:
  void Execute(const char* sql) const;
  void RemoveLocked(const std::string& session_id);
  void CreateSchema();
  void Recover();
  void Upsert(const RecordSummary& summary, const std::filesystem::path& record,
              v1::RecordingStatus status);
  std::vector<v1::Recording> Query(const std::string& where,
                                   const std::vector<std::string>& arguments, uint32_t limit) const;

  const std::filesystem::path data_dir_;
  mutable std::mutex mu_;
  sqlite3* db_ = nullptr;
  Recovery recovery_;
};

}  // namespace pedisim::recording

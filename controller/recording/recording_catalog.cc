#include "controller/recording/recording_catalog.h"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <map>
#include <set>
#include <stdexcept>

#include "controller/recording/session_recorder.h"
#include "controller/util/sqlite_statement.h"

namespace pedisim::recording {

namespace {

// What a row says its session's status is: how it ended; for an
// interrupted one, PAUSED (CREATED if it never started): it waits to be
// resumed; none while it runs.
v1::SessionStatus FinalStatus(const RecordSummary& summary, v1::RecordingStatus status) {
  if (summary.ended) return summary.final_session.status();
  if (status != v1::RECORDING_STATUS_INTERRUPTED) return v1::SESSION_STATUS_UNSPECIFIED;
  return summary.started ? v1::SESSION_STATUS_PAUSED : v1::SESSION_STATUS_CREATED;
}

// 2: recordings.archived. A version-1 catalog gains the column in place
// (its locks are kept: they are only in the catalog).
constexpr int kSchemaVersion = 2;

// The catalog's statements: errors say they come from the catalog.
class Statement : public util::SqliteStatement {
 public:
  Statement(sqlite3* db, const std::string& sql) : SqliteStatement(db, sql, "catalog") {}
};

std::string JoinLines(const google::protobuf::RepeatedPtrField<std::string>& values) {
  std::string joined;
  for (const std::string& value : values) joined += (joined.empty() ? "" : "\n") + value;
  return joined;
}

}  // namespace

RecordingCatalog::RecordingCatalog(std::filesystem::path data_dir)
    : data_dir_(std::move(data_dir)) {
  std::filesystem::create_directories(SessionsDir(data_dir_));
  const std::filesystem::path file = data_dir_ / "catalog.sqlite3";
  const bool existed = std::filesystem::exists(file);
  if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + file.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 2000);
  try {
    Execute("PRAGMA journal_mode=WAL");
    int64_t schema = 0;
    {
      Statement version(db_, "PRAGMA user_version");
      version.Step();
      schema = version.Int(0);
    }
    if (existed && schema == 1) {
      Execute("ALTER TABLE recordings ADD COLUMN archived INTEGER DEFAULT 0");
      Execute(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
      schema = kSchemaVersion;
    }
    if (!existed || schema != kSchemaVersion) {
      recovery_.rebuilt = true;
      CreateSchema();
    }
  } catch (const std::exception& error) {
    // A damaged database is only an index: start it again from the records.
    spdlog::warn("catalog {} unusable ({}); rebuilding it from the records", file.string(),
                 error.what());
    sqlite3_close(db_);
    db_ = nullptr;
    std::filesystem::remove(file);
    std::filesystem::remove(file.string() + "-wal");
    std::filesystem::remove(file.string() + "-shm");
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) {
      throw std::runtime_error("cannot create " + file.string());
    }
    sqlite3_busy_timeout(db_, 2000);
    Execute("PRAGMA journal_mode=WAL");
    recovery_.rebuilt = true;
    CreateSchema();
  }
  Recover();
}

RecordingCatalog::~RecordingCatalog() { sqlite3_close(db_); }

void RecordingCatalog::Execute(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error("catalog: " + text);
  }
}

void RecordingCatalog::CreateSchema() {
  Execute(
      "DROP TABLE IF EXISTS participants;"
      "DROP TABLE IF EXISTS recordings;"
      "CREATE TABLE recordings ("
      "  session_id TEXT PRIMARY KEY, scenario_id TEXT, scenario_title TEXT,"
      "  created_unix_s INTEGER, created_nanos INTEGER, duration_s REAL, outcome TEXT,"
      "  status INTEGER, final_status INTEGER, locked INTEGER DEFAULT 0, size_bytes INTEGER,"
      "  path TEXT, origin BLOB, tags TEXT, archived INTEGER DEFAULT 0);"
      "CREATE TABLE participants (session_id TEXT, name TEXT, role TEXT);"
      "CREATE INDEX participants_by_name ON participants(name);");
  Execute(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
}

void RecordingCatalog::Recover() {
  // Complete records whose size is what the catalog last saw need no scan;
  // one that grew since (annotations, grades after the end) may have a torn
  // tail from a crash during that append.
  std::map<std::string, uint64_t> complete;
  {
    Statement rows(db_, "SELECT session_id, size_bytes FROM recordings WHERE status = ?");
    rows.Bind(1, int64_t{v1::RECORDING_STATUS_COMPLETE});
    while (rows.Step()) complete[rows.Text(0)] = static_cast<uint64_t>(rows.Int(1));
  }
  std::set<std::string> on_disk;
  std::error_code error;
  for (const auto& folder : std::filesystem::directory_iterator(SessionsDir(data_dir_), error)) {
    const std::filesystem::path record = folder.path() / SessionRecorder::kRecordName;
    if (!std::filesystem::exists(record)) continue;
    const std::string id = folder.path().filename().string();
    on_disk.insert(id);
    std::error_code size_error;
    const auto found = complete.find(id);
    if (found != complete.end() &&
        std::filesystem::file_size(record, size_error) == found->second && !size_error) {
      continue;
    }
    ++recovery_.scanned;
    try {
      const RecordSummary summary = ScanRecord(record, /*repair=*/true);
      if (summary.was_torn) {
        ++recovery_.torn_tails_cut;
        spdlog::warn("record {}: cut a torn tail of {} bytes", record.string(), summary.cut_bytes);
      }
      if (!summary.ended) ++recovery_.interrupted;
      Upsert(summary, record,
             summary.ended ? v1::RECORDING_STATUS_COMPLETE : v1::RECORDING_STATUS_INTERRUPTED);
    } catch (const std::exception& problem) {
      ++recovery_.unreadable;
      spdlog::error("record {} cannot be read: {}", record.string(), problem.what());
    }
  }
  // Rows whose record is gone (deleted by hand) go too.
  std::vector<std::string> gone;
  {
    Statement rows(db_, "SELECT session_id FROM recordings");
    while (rows.Step()) {
      if (!on_disk.contains(rows.Text(0))) gone.push_back(rows.Text(0));
    }
  }
  for (const std::string& id : gone) RemoveLocked(id);
  if (recovery_.scanned > 0) {
    spdlog::info("catalog: {} records scanned, {} interrupted, {} torn tails cut{}",
                 recovery_.scanned, recovery_.interrupted, recovery_.torn_tails_cut,
                 recovery_.rebuilt ? " (catalog rebuilt)" : "");
  }
}

void RecordingCatalog::Upsert(const RecordSummary& summary, const std::filesystem::path& record,
                              v1::RecordingStatus status) {
  const v1::RecordHeader& header = summary.header;
  Execute("BEGIN");
  try {
    Statement(db_, "DELETE FROM participants WHERE session_id = ?")
        .Bind(1, header.session_id())
        .Step();
    Statement insert(db_,
                     "INSERT OR REPLACE INTO recordings (session_id, scenario_id, scenario_title,"
                     " created_unix_s, created_nanos, duration_s, outcome, status, final_status,"
                     " locked, size_bytes, path, origin, tags, archived) VALUES"
                     " (?,?,?,?,?,?,?,?,?,"
                     " COALESCE((SELECT locked FROM recordings WHERE session_id = ?1), 0),"
                     " ?,?,?,?,"
                     " COALESCE((SELECT archived FROM recordings WHERE session_id = ?1), 0))");
    insert.Bind(1, header.session_id())
        .Bind(2, header.scenario().id())
        .Bind(3, header.scenario().title())
        .Bind(4, int64_t{header.created_at().seconds()})
        .Bind(5, int64_t{header.created_at().nanos()})
        .Bind(6, static_cast<double>(summary.last_step) * 0.1)
        .Bind(7, summary.last_state)
        .Bind(8, int64_t{status})
        .Bind(9, int64_t{FinalStatus(summary, status)})
        .Bind(10, static_cast<int64_t>(summary.size_bytes))
        .Bind(11, record.string())
        .Bind(12, header.has_origin() ? header.origin().SerializeAsString() : std::string())
        .Bind(13, JoinLines(header.tags()));
    insert.Step();
    for (const v1::Participant& participant : header.participants()) {
      Statement(db_, "INSERT INTO participants (session_id, name, role) VALUES (?,?,?)")
          .Bind(1, header.session_id())
          .Bind(2, participant.name())
          .Bind(3, participant.role())
          .Step();
    }
    Execute("COMMIT");
  } catch (...) {
    Execute("ROLLBACK");
    throw;
  }
}

void RecordingCatalog::AddLive(const v1::RecordHeader& header,
                               const std::filesystem::path& record) {
  std::lock_guard lock(mu_);
  RecordSummary summary;
  summary.header = header;
  Upsert(summary, record, v1::RECORDING_STATUS_LIVE);
}

void RecordingCatalog::MarkEnded(const v1::Session& final_session, uint64_t size_bytes,
                                 v1::RecordingStatus status) {
  std::lock_guard lock(mu_);
  Statement update(db_,
                   "UPDATE recordings SET status = ?, final_status = ?, duration_s = ?,"
                   " outcome = ?, size_bytes = ? WHERE session_id = ?");
  update.Bind(1, int64_t{status})
      .Bind(2, int64_t{final_session.status()})
      .Bind(3, final_session.sim_time_s())
      .Bind(4, final_session.current_state())
      .Bind(5, static_cast<int64_t>(size_bytes))
      .Bind(6, final_session.id());
  update.Step();
}

void RecordingCatalog::MarkLive(const std::string& session_id) {
  std::lock_guard lock(mu_);
  Statement update(db_, "UPDATE recordings SET status = ? WHERE session_id = ?");
  update.Bind(1, int64_t{v1::RECORDING_STATUS_LIVE}).Bind(2, session_id);
  update.Step();
}

std::vector<v1::Recording> RecordingCatalog::Query(const std::string& where,
                                                   const std::vector<std::string>& arguments,
                                                   uint32_t limit) const {
  std::string sql =
      "SELECT session_id, scenario_id, scenario_title, created_unix_s, created_nanos,"
      " duration_s, outcome, status, final_status, locked, size_bytes, origin, tags, archived"
      " FROM recordings" +
      where + " ORDER BY created_unix_s DESC, created_nanos DESC, session_id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  Statement rows(db_, sql);
  for (size_t i = 0; i < arguments.size(); ++i) rows.Bind(static_cast<int>(i + 1), arguments[i]);
  std::vector<v1::Recording> found;
  while (rows.Step()) {
    v1::Recording& recording = found.emplace_back();
    recording.set_session_id(rows.Text(0));
    recording.set_scenario_id(rows.Text(1));
    recording.set_scenario_title(rows.Text(2));
    recording.mutable_created_at()->set_seconds(rows.Int(3));
    recording.mutable_created_at()->set_nanos(static_cast<int32_t>(rows.Int(4)));
    recording.set_duration_s(rows.Real(5));
    recording.set_outcome(rows.Text(6));
    recording.set_status(static_cast<v1::RecordingStatus>(rows.Int(7)));
    recording.set_final_status(static_cast<v1::SessionStatus>(rows.Int(8)));
    recording.set_locked(rows.Int(9) != 0);
    recording.set_size_bytes(static_cast<uint64_t>(rows.Int(10)));
    recording.set_archived(rows.Int(13) != 0);
    const std::string origin = rows.Text(11);
    if (!origin.empty()) recording.mutable_origin()->ParseFromString(origin);
    const std::string tags = rows.Text(12);
    for (size_t start = 0; start < tags.size();) {
      const size_t end = std::min(tags.find('\n', start), tags.size());
      recording.add_tags(tags.substr(start, end - start));
      start = end + 1;
    }
  }
  for (v1::Recording& recording : found) {
    Statement people(db_,
                     "SELECT name, role FROM participants WHERE session_id = ? ORDER BY rowid");
    people.Bind(1, recording.session_id());
    while (people.Step()) {
      v1::Participant& participant = *recording.add_participants();
      participant.set_name(people.Text(0));
      participant.set_role(people.Text(1));
    }
  }
  return found;
}

std::vector<v1::Recording> RecordingCatalog::List(const CatalogFilter& filter) const {
  std::lock_guard lock(mu_);
  std::string where;
  std::vector<std::string> arguments;
  auto add = [&](const std::string& condition) {
    where += (where.empty() ? " WHERE " : " AND ") + condition;
  };
  if (!filter.learner.empty()) {
    add("session_id IN (SELECT session_id FROM participants WHERE name = ?" +
        std::to_string(arguments.size() + 1) + ")");
    arguments.push_back(filter.learner);
  }
  if (!filter.scenario_id.empty()) {
    add("scenario_id = ?" + std::to_string(arguments.size() + 1));
    arguments.push_back(filter.scenario_id);
  }
  if (!filter.include_archived) add("archived = 0");
  if (filter.status) {
    add("status = CAST(?" + std::to_string(arguments.size() + 1) + " AS INTEGER)");
    arguments.push_back(std::to_string(static_cast<int>(*filter.status)));
  }
  if (filter.since_unix_s) {
    add("created_unix_s >= CAST(?" + std::to_string(arguments.size() + 1) + " AS INTEGER)");
    arguments.push_back(std::to_string(*filter.since_unix_s));
  }
  return Query(where, arguments, filter.limit);
}

std::optional<v1::Recording> RecordingCatalog::Get(const std::string& session_id) const {
  std::lock_guard lock(mu_);
  std::vector<v1::Recording> found = Query(" WHERE session_id = ?1", {session_id}, 1);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<std::filesystem::path> RecordingCatalog::RecordPath(
    const std::string& session_id) const {
  std::lock_guard lock(mu_);
  Statement row(db_, "SELECT path FROM recordings WHERE session_id = ?");
  row.Bind(1, session_id);
  if (!row.Step()) return std::nullopt;
  return std::filesystem::path(row.Text(0));
}

bool RecordingCatalog::SetLocked(const std::string& session_id, bool locked) {
  std::lock_guard lock(mu_);
  Statement update(db_, "UPDATE recordings SET locked = ? WHERE session_id = ?");
  update.Bind(1, int64_t{locked ? 1 : 0}).Bind(2, session_id);
  update.Step();
  return sqlite3_changes(db_) > 0;
}

grpc::Status RecordingCatalog::SetArchived(const std::string& session_id, bool archived) {
  std::lock_guard lock(mu_);
  Statement row(db_, "SELECT status FROM recordings WHERE session_id = ?");
  row.Bind(1, session_id);
  if (!row.Step()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "session_id: no recording '" + session_id + "'");
  }
  const auto status = static_cast<v1::RecordingStatus>(row.Int(0));
  if (archived && status == v1::RECORDING_STATUS_LIVE) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "session_id: the session is still running; stop it first");
  }
  if (archived && status == v1::RECORDING_STATUS_INTERRUPTED) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "session_id: the session was interrupted; resume or delete it");
  }
  Statement update(db_, "UPDATE recordings SET archived = ? WHERE session_id = ?");
  update.Bind(1, int64_t{archived ? 1 : 0}).Bind(2, session_id);
  update.Step();
  return grpc::Status::OK;
}

void RecordingCatalog::Remove(const std::string& session_id) {
  std::lock_guard lock(mu_);
  RemoveLocked(session_id);
}

grpc::Status RecordingCatalog::RemoveIfDeletable(const std::string& session_id) {
  std::lock_guard lock(mu_);
  Statement row(db_, "SELECT status, locked FROM recordings WHERE session_id = ?");
  row.Bind(1, session_id);
  if (!row.Step()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "session_id: no recording '" + session_id + "'");
  }
  if (row.Int(0) == v1::RECORDING_STATUS_LIVE) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "session_id: the session is still running; stop it first");
  }
  if (row.Int(1) != 0) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "session_id: the recording is locked; unlock it first");
  }
  RemoveLocked(session_id);
  return grpc::Status::OK;
}

void RecordingCatalog::RemoveLocked(const std::string& session_id) {
  Statement(db_, "DELETE FROM participants WHERE session_id = ?").Bind(1, session_id).Step();
  Statement(db_, "DELETE FROM recordings WHERE session_id = ?").Bind(1, session_id).Step();
}

std::vector<std::string> RecordingCatalog::OlderThan(
    int days, std::chrono::system_clock::time_point now) const {
  std::lock_guard lock(mu_);
  const int64_t cutoff =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() -
      int64_t{days} * 86400;
  Statement rows(db_,
                 "SELECT session_id FROM recordings WHERE locked = 0 AND status != ? AND "
                 "created_unix_s < ?");
  rows.Bind(1, int64_t{v1::RECORDING_STATUS_LIVE}).Bind(2, cutoff);
  std::vector<std::string> ids;
  while (rows.Step()) ids.push_back(rows.Text(0));
  return ids;
}

}  // namespace pedisim::recording

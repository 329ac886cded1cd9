#include "controller/backup/data_folder_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <google/protobuf/util/time_util.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/backup/data_folder_layout.h"

namespace pedisim::backup {

namespace {

namespace fs = std::filesystem;

using Archive = std::unique_ptr<archive, decltype(&archive_write_free)>;
using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

void Check(archive* writer, int result, const std::string& what) {
  if (result < ARCHIVE_WARN) {
    throw std::runtime_error(what + ": " + archive_error_string(writer));
  }
}

// A consistent copy of the SQLite database `source` in `target`, taken
// while the controller writes it: SQLite's online backup, retried while the
// controller holds a lock.
void SnapshotStore(const fs::path& source, const fs::path& target) {
  sqlite3* from = nullptr;
  sqlite3* to = nullptr;
  auto close = [&] {
    sqlite3_close(from);
    sqlite3_close(to);
  };
  if (sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open(target.c_str(), &to) != SQLITE_OK) {
    const std::string why = from ? sqlite3_errmsg(from) : "out of memory";
    close();
    throw std::runtime_error("cannot open " + source.string() + " to copy it: " + why);
  }
  sqlite3_busy_timeout(from, 2000);
  sqlite3_backup* copy = sqlite3_backup_init(to, "main", from, "main");
  if (copy == nullptr) {
    const std::string why = sqlite3_errmsg(to);
    close();
    throw std::runtime_error("cannot copy " + source.string() + ": " + why);
  }
  int result = SQLITE_OK;
  for (int attempt = 0; attempt < 200; ++attempt) {
    result = sqlite3_backup_step(copy, -1);
    if (result != SQLITE_BUSY && result != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(copy);
  close();
  if (result != SQLITE_DONE) {
    throw std::runtime_error("cannot copy " + source.string() + ": " + sqlite3_errstr(result));
  }
}

class ArchiveWriter {
 public:
  explicit ArchiveWriter(const fs::path& path) : writer_(archive_write_new(), archive_write_free) {
    if (!writer_) throw std::runtime_error("out of memory");
    Check(writer_.get(), archive_write_set_format_pax_restricted(writer_.get()), "tar format");
    Check(writer_.get(), archive_write_open_filename(writer_.get(), path.c_str()),
          "cannot create " + path.string());
  }

  void AddFolder(const std::string& name) {
    Entry entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFDIR);
    archive_entry_set_perm(entry.get(), 0700);
    archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
    Check(writer_.get(), archive_write_header(writer_.get(), entry.get()), name);
  }

  // The first `size` bytes of `source` (a record may grow meanwhile: what
  // was written when the copy began is what goes in).
  void AddFile(const std::string& name, const fs::path& source, uintmax_t size) {
    std::ifstream in(source, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + source.string());
    Entry entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0600);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
    Check(writer_.get(), archive_write_header(writer_.get(), entry.get()), name);
    std::vector<char> buffer(1 << 16);
    uintmax_t left = size;
    while (left > 0) {
      const auto want = static_cast<std::streamsize>(std::min<uintmax_t>(left, buffer.size()));
      in.read(buffer.data(), want);
      if (in.gcount() != want) throw std::runtime_error(source.string() + " shrank while copied");
      if (archive_write_data(writer_.get(), buffer.data(), static_cast<size_t>(want)) != want) {
        throw std::runtime_error(name + ": " + archive_error_string(writer_.get()));
      }
      left -= static_cast<uintmax_t>(want);
    }
    ++files_;
  }

  void Close() { Check(writer_.get(), archive_write_close(writer_.get()), "closing the archive"); }

  uint32_t files() const { return files_; }

 private:
  Archive writer_;
  uint32_t files_ = 0;
};

// Every file below `folder` (its path relative to the data folder) and
// every folder on the way, sorted: sessions/ID/session.psrec, tls/ca.crt.
void AddTree(ArchiveWriter& writer, const fs::path& data_dir, const std::string& folder,
             uint32_t* sessions) {
  const fs::path root = data_dir / folder;
  if (!fs::is_directory(root)) return;
  writer.AddFolder(folder);
  std::vector<fs::path> entries;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_directory() || entry.is_regular_file()) entries.push_back(entry.path());
  }
  std::sort(entries.begin(), entries.end());
  for (const fs::path& path : entries) {
    const std::string name = path.lexically_relative(data_dir).generic_string();
    std::error_code error;
    if (fs::is_directory(path, error)) {
      writer.AddFolder(name);
      continue;
    }
    // A session deleted while the copy runs is left out.
    const uintmax_t size = fs::file_size(path, error);
    if (error) continue;
    writer.AddFile(name, path, size);
    if (path.extension() == ".psrec") ++*sessions;
  }
}

}  // namespace

v1::BackupSummary WriteDataFolderArchive(const fs::path& data_dir, const fs::path& archive) {
  v1::BackupSummary summary;
  *summary.mutable_taken_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  ArchiveWriter writer(archive);
  const fs::path snapshot = archive.string() + ".store";
  for (const char* store : kStores) {
    if (!fs::exists(data_dir / store)) continue;
    fs::remove(snapshot);
    SnapshotStore(data_dir / store, snapshot);
    writer.AddFile(store, snapshot, fs::file_size(snapshot));
    fs::remove(snapshot);
  }
  for (const char* file : kPlainFiles) {
    std::error_code error;
    const uintmax_t size = fs::file_size(data_dir / file, error);
    if (!error) writer.AddFile(file, data_dir / file, size);
  }
  uint32_t sessions = 0;
  for (const char* folder : kFolders) AddTree(writer, data_dir, folder, &sessions);
  writer.Close();
  summary.set_files(writer.files());
  summary.set_sessions(sessions);
  summary.set_archive_bytes(fs::file_size(archive));
  return summary;
}

}  // namespace pedisim::backup

#include "controller/services/backup_reactor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <thread>

#include "controller/backup/data_folder_archive.h"

namespace pedisim::services {

namespace {

constexpr size_t kChunkBytes = 64 * 1024;

std::filesystem::path TemporaryArchive() {
  static std::atomic<uint64_t> counter{0};
  return std::filesystem::temp_directory_path() /
         fmt::format("pedisim-backup-{}-{}.tar", ::getpid(), counter.fetch_add(1));
}

}  // namespace

BackupReactor::BackupReactor(std::filesystem::path data_dir, std::atomic<bool>& running)
    : data_dir_(std::move(data_dir)), archive_(TemporaryArchive()), running_(running) {
  // The archive may take seconds (a year of records): off gRPC's threads.
  // The thread touches the reactor only through StartWrite or Finish, its
  // last act, after which gRPC may end the call.
  std::thread([this] { Prepare(); }).detach();
}

void BackupReactor::Prepare() {
  std::lock_guard lock(mu_);
  try {
    summary_ = backup::WriteDataFolderArchive(data_dir_, archive_);
    in_.open(archive_, std::ios::binary);
    if (!in_) throw std::runtime_error("cannot read back " + archive_.string());
    spdlog::info("backup: {} files ({} session records), {} bytes", summary_.files(),
                 summary_.sessions(), summary_.archive_bytes());
  } catch (const std::exception& error) {
    spdlog::error("backup failed: {}", error.what());
    finished_ = true;
    Finish(grpc::Status(grpc::StatusCode::INTERNAL, std::string("backup: ") + error.what()));
    return;
  }
  SendNextLocked();
}

void BackupReactor::SendNextLocked() {
  if (finished_) return;
  chunk_.Clear();
  std::string& data = *chunk_.mutable_data();
  data.resize(kChunkBytes);
  in_.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in_.gcount()));
  if (data.empty()) {
    finished_ = true;
    Finish(grpc::Status::OK);
    return;
  }
  if (in_.peek() == std::char_traits<char>::eof()) *chunk_.mutable_summary() = summary_;
  StartWrite(&chunk_);
}

void BackupReactor::OnWriteDone(bool ok) {
  std::lock_guard lock(mu_);
  if (!ok) {
    if (!finished_) {
      finished_ = true;
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "backup: the client went away"));
    }
    return;
  }
  SendNextLocked();
}

void BackupReactor::OnCancel() {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  Finish(grpc::Status::CANCELLED);
}

void BackupReactor::OnDone() {
  {
    std::lock_guard lock(mu_);
    in_.close();
  }
  std::error_code ignored;
  std::filesystem::remove(archive_, ignored);
  running_.store(false);
  delete this;
}

}  // namespace pedisim::services

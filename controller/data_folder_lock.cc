#include "controller/data_folder_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace pedisim {

namespace {

// The pid the holder wrote, or "unknown" when it has not yet (it writes it
// right after taking the lock).
std::string HolderPid(int fd) {
  char text[32] = {};
  const ssize_t got = pread(fd, text, sizeof text - 1, 0);
  if (got <= 0) return "unknown";
  std::string pid(text, static_cast<size_t>(got));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

std::optional<DataFolderLock> DataFolderLock::Take(const std::filesystem::path& data_dir,
                                                   std::string* why) {
  std::error_code error;
  if (!std::filesystem::exists(data_dir, error)) {
    std::filesystem::create_directories(data_dir, error);
    if (error) {
      *why =
          fmt::format("cannot create the data folder {}: {}", data_dir.string(), error.message());
      return std::nullopt;
    }
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, error);
  }
  const std::filesystem::path path = data_dir / kFileName;
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    *why = fmt::format("cannot open {}: {}", path.string(), std::strerror(errno));
    return std::nullopt;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int failure = errno;
    if (failure == EWOULDBLOCK) {
      *why = fmt::format(
          "the data folder {} is in use by another controller (pid {}); one controller per "
          "data folder",
          data_dir.string(), HolderPid(fd));
    } else {
      *why = fmt::format("cannot lock {}: {}", path.string(), std::strerror(failure));
    }
    close(fd);
    return std::nullopt;
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock holds without it; only the message of a second controller
    // is poorer.
  }
  return DataFolderLock(fd);
}

DataFolderLock::DataFolderLock(DataFolderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

DataFolderLock& DataFolderLock::operator=(DataFolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataFolderLock::~DataFolderLock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace pedisim

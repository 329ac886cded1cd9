#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace pedisim {

// One controller per data folder: an exclusive lock (flock) on
// `<data>/controller.lock`, held for the process's life and released by the
// kernel however it ends (kill -9 included). The file holds the holder's pid
// so that a second controller can say who has the folder.
class DataFolderLock {
 public:
  static constexpr const char* kFileName = "controller.lock";

  // Creates the folder (mode 0700) when missing and takes the lock; nullopt
  // with `why` naming the folder and the holder's pid when another process
  // holds it, or what failed. Nothing else in the folder is read or written.
  static std::optional<DataFolderLock> Take(const std::filesystem::path& data_dir,
                                            std::string* why);

  DataFolderLock(DataFolderLock&& other) noexcept;
  DataFolderLock& operator=(DataFolderLock&& other) noexcept;
  DataFolderLock(const DataFolderLock&) = delete;
  DataFolderLock& operator=(const DataFolderLock&) = delete;
  ~DataFolderLock();

 private:
  explicit DataFolderLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace pedisim

#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "pedisim/v1/recording.pb.h"

namespace pedisim::recording {

// Appends frames to a record file and keyframe positions to its index
// (`<record>.idx`). Entries wait in memory until Flush, which hands them to
// the operating system in one write: a killed controller loses only what
// was not flushed yet. A failed write (a full disk) is cut back off the file,
// so the record stays valid, and the entries wait for the next Flush.
class RecordWriter {
 public:
  // Creates the record (it must not exist) and writes the header, flushed.
  // Throws std::runtime_error naming the file when it cannot.
  RecordWriter(std::filesystem::path path, const v1::RecordHeader& header);
  // Opens an existing, intact record to add entries after its end
  // (annotations after the session). Throws like the constructor.
  static RecordWriter Reopen(std::filesystem::path path);
  ~RecordWriter();
  RecordWriter(RecordWriter&& other) noexcept;
  RecordWriter& operator=(RecordWriter&&) = delete;
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;

  void Append(const v1::RecordEntry& entry);
  // Writes what waits; false (with last_error set) when the write failed.
  bool Flush();

  const std::filesystem::path& path() const { return path_; }
  uint64_t flushed_bytes() const { return flushed_bytes_; }
  size_t waiting_bytes() const { return waiting_.size(); }
  uint64_t write_errors() const { return write_errors_; }
  // Entries given up because too much waited behind a failing disk.
  uint64_t entries_dropped() const { return entries_dropped_; }
  const std::string& last_error() const { return last_error_; }

  // Past this much waiting behind failing writes, new entries are dropped
  // (and counted) instead of growing without bound.
  static constexpr size_t kMaxWaitingBytes = 64u << 20;

 private:
  RecordWriter(std::filesystem::path path, int fd, int index_fd, uint64_t size);
  bool WriteAll(int fd, const std::string& bytes, uint64_t at, const char* what);

  std::filesystem::path path_;
  int fd_ = -1;
  int index_fd_ = -1;
  uint64_t flushed_bytes_ = 0;
  uint64_t index_bytes_ = 0;
  std::string waiting_;
  std::string waiting_index_;
  uint64_t write_errors_ = 0;
  uint64_t entries_dropped_ = 0;
  std::string last_error_;
};

std::filesystem::path IndexPathFor(const std::filesystem::path& record);

}  // namespace pedisim::recording

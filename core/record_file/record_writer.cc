#include "core/record_file/record_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/record_file/record_frames.h"

namespace pedisim::recording {

namespace {

int OpenOrThrow(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0640);
  if (fd < 0) {
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  return fd;
}

void AppendU64(uint64_t value, std::string* out) {
  for (int shift = 0; shift < 64; shift += 8) out->push_back(static_cast<char>(value >> shift));
}

}  // namespace

std::filesystem::path IndexPathFor(const std::filesystem::path& record) {
  return record.string() + ".idx";
}

RecordWriter::RecordWriter(std::filesystem::path path, int fd, int index_fd, uint64_t size)
    : path_(std::move(path)), fd_(fd), index_fd_(index_fd), flushed_bytes_(size) {
  const off_t index_size = ::lseek(index_fd_, 0, SEEK_END);
  index_bytes_ = index_size > 0 ? static_cast<uint64_t>(index_size) : 0;
}

RecordWriter::RecordWriter(std::filesystem::path path, const v1::RecordHeader& header)
    : path_(std::move(path)) {
  fd_ = OpenOrThrow(path_, O_WRONLY | O_CREAT | O_EXCL);
  index_fd_ = OpenOrThrow(IndexPathFor(path_), O_WRONLY | O_CREAT | O_TRUNC);
  waiting_ = std::string(kRecordMagic);
  AppendFrame(header.SerializeAsString(), &waiting_);
  waiting_index_ = std::string(kIndexMagic);
  if (!Flush()) throw std::runtime_error("cannot write " + path_.string() + ": " + last_error_);
}

RecordWriter RecordWriter::Reopen(std::filesystem::path path) {
  const int fd = OpenOrThrow(path, O_WRONLY);
  const off_t size = ::lseek(fd, 0, SEEK_END);
  int index_fd = -1;
  try {
    index_fd = OpenOrThrow(IndexPathFor(path), O_WRONLY | O_CREAT);
  } catch (...) {
    ::close(fd);
    throw;
  }
  return RecordWriter(std::move(path), fd, index_fd, static_cast<uint64_t>(size));
}

RecordWriter::RecordWriter(RecordWriter&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      index_fd_(std::exchange(other.index_fd_, -1)),
      flushed_bytes_(other.flushed_bytes_),
      index_bytes_(other.index_bytes_),
      waiting_(std::move(other.waiting_)),
      waiting_index_(std::move(other.waiting_index_)),
      write_errors_(other.write_errors_),
      entries_dropped_(other.entries_dropped_),
      last_error_(std::move(other.last_error_)) {}

RecordWriter::~RecordWriter() {
  if (fd_ >= 0) {
    Flush();
    ::close(fd_);
  }
  if (index_fd_ >= 0) ::close(index_fd_);
}

void RecordWriter::Append(const v1::RecordEntry& entry) {
  if (waiting_.size() > kMaxWaitingBytes) {
    ++entries_dropped_;
    return;
  }
  if (entry.has_keyframe()) {
    AppendU64(entry.step(), &waiting_index_);
    AppendU64(flushed_bytes_ + waiting_.size(), &waiting_index_);
  }
  AppendFrame(entry.SerializeAsString(), &waiting_);
}

bool RecordWriter::Flush() {
  if (fd_ < 0) return false;
  if (!waiting_.empty()) {
    if (!WriteAll(fd_, waiting_, flushed_bytes_, "record")) return false;
    flushed_bytes_ += waiting_.size();
    waiting_.clear();
  }
  // The index only ever points at flushed frames; losing its tail costs a
  // short scan when the record is opened, never a wrong seek.
  if (!waiting_index_.empty()) {
    if (!WriteAll(index_fd_, waiting_index_, index_bytes_, "index")) return false;
    index_bytes_ += waiting_index_.size();
    waiting_index_.clear();
  }
  return true;
}

bool RecordWriter::WriteAll(int fd, const std::string& bytes, uint64_t at, const char* what) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ++write_errors_;
      last_error_ = std::string(what) +
                    " write failed: " + (n < 0 ? std::strerror(errno) : "nothing written");
      // Cut what this attempt wrote, so the file ends at a whole frame;
      // the bytes wait for the next Flush.
      if (::ftruncate(fd, static_cast<off_t>(at)) != 0) last_error_ += " (and truncate failed)";
      ::lseek(fd, static_cast<off_t>(at), SEEK_SET);
      return false;
    }
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace pedisim::recording

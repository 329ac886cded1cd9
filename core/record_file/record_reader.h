#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pedisim/v1/recording.pb.h"

namespace pedisim::recording {

// A record file that cannot be read at all (no magic, no header).
class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct KeyframeRef {
  uint64_t step = 0;
  uint64_t offset = 0;
};

// Reads a record file written by RecordWriter, from its start or from the
// keyframe before a step. It reads only what was flushed: a frame cut short
// or failing its checksum ends the record (torn() says so), whether the
// controller died mid-write or is still writing it.
class RecordReader {
 public:
  // Reads the magic, the header and the keyframe index (from the index file,
  // completed by a scan of what it has not caught up with). Throws
  // RecordError naming the file when there is no valid header.
  explicit RecordReader(std::filesystem::path path);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  const v1::RecordHeader& header() const { return header_; }
  const std::vector<KeyframeRef>& keyframes() const { return keyframes_; }

  // Back to the first entry after the header.
  void Rewind();
  // To the last keyframe at or before `step` (the first entry if none);
  // returns the step of that keyframe, or 0.
  uint64_t SeekToKeyframe(uint64_t step);
  // The next entry; false at the end of what was flushed, or at damage.
  bool Next(v1::RecordEntry* entry);

  // Whether reading stopped at a damaged or incomplete frame rather than at
  // the end of the file.
  bool torn() const { return torn_; }
  // Offset just past the last whole frame read.
  uint64_t valid_bytes() const { return position_; }
  uint64_t file_bytes() const { return file_bytes_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };

  bool ReadFrame(std::string* payload);
  void LoadIndex();
  void SeekTo(uint64_t offset);

  std::filesystem::path path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  v1::RecordHeader header_;
  uint64_t first_entry_offset_ = 0;
  uint64_t position_ = 0;
  uint64_t file_bytes_ = 0;
  bool torn_ = false;
  std::vector<KeyframeRef> keyframes_;
  std::string payload_;
};

// What a full scan of a record found, and the repair of a torn tail.
struct RecordSummary {
  v1::RecordHeader header;
  bool ended = false;      // has its RecordEnd
  bool started = false;    // has its SESSION_STARTED event
  bool was_torn = false;   // had damage or a partial frame at the end
  uint64_t cut_bytes = 0;  // bytes removed by the repair
  uint64_t last_step = 0;
  std::string last_state;
  v1::Session final_session;                // from RecordEnd, when ended
  std::vector<v1::Annotation> annotations;  // bookmarks and annotations
  // The assessment as it stood last, changes after the end included.
  std::optional<v1::Assessment> last_assessment;
  uint64_t size_bytes = 0;
};

// Reads the whole record; with `repair`, cuts a torn tail off the file so
// that it ends at its last whole frame (and can be appended to again).
RecordSummary ScanRecord(const std::filesystem::path& path, bool repair);

}  // namespace pedisim::recording

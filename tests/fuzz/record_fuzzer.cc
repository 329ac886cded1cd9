// Record files as the controller reads them after a crash or for a replay:
// the input is a record file, optionally followed by its keyframe index
// (from the index magic line on), written to a temporary folder. Frames are
// decoded on bytes (DecodeFrame), the file read whole and by keyframe
// (RecordReader), scanned and repaired (ScanRecord); a repaired record must
// then scan clean, and reading must only ever stop, never crash.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "core/record_file/record_frames.h"
#include "core/record_file/record_reader.h"
#include "core/record_file/record_writer.h"
#include "tests/fuzz/fuzz_check.h"

namespace pedisim::fuzz {
namespace {

namespace fs = std::filesystem;
using recording::DecodedFrame;
using recording::FrameResult;

// A folder of this process's own, removed at exit.
const fs::path& TemporaryFolder() {
  static const fs::path folder = [] {
    std::string pattern = (fs::temp_directory_path() / "pedisim-record-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    std::atexit([] { fs::remove_all(TemporaryFolder()); });
    return fs::path(pattern);
  }();
  return folder;
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), bytes.size());
}

// Every frame on bytes: a whole frame encodes back to the same bytes.
void CheckFramesOnBytes(std::string_view bytes) {
  while (true) {
    const DecodedFrame frame = recording::DecodeFrame(bytes);
    if (frame.result == FrameResult::kCorrupt) return;
    if (frame.result == FrameResult::kNeedMore) {
      if (frame.wanted) {
        FUZZ_CHECK(*frame.wanted > bytes.size());
        FUZZ_CHECK(*frame.wanted <=
                   recording::kFrameHeaderBytes + recording::kMaxFramePayloadBytes);
      }
      return;
    }
    FUZZ_CHECK(frame.size == recording::kFrameHeaderBytes + frame.payload.size());
    std::string again;
    recording::AppendFrame(frame.payload, &again);
    FUZZ_CHECK(again == bytes.substr(0, frame.size));
    bytes.remove_prefix(frame.size);
  }
}

size_t CountEntries(recording::RecordReader& reader) {
  size_t count = 0;
  v1::RecordEntry entry;
  while (reader.Next(&entry)) ++count;
  FUZZ_CHECK(reader.valid_bytes() <= reader.file_bytes());
  return count;
}

void CheckReader(const fs::path& record) {
  recording::RecordReader reader(record);
  const size_t entries = CountEntries(reader);
  const uint64_t valid_bytes = reader.valid_bytes();
  // Reading again gives the same.
  reader.Rewind();
  FUZZ_CHECK(CountEntries(reader) == entries);
  FUZZ_CHECK(reader.valid_bytes() == valid_bytes);

  const auto& keyframes = reader.keyframes();
  for (size_t i = 0; i < keyframes.size(); ++i) {
    FUZZ_CHECK(keyframes[i].offset < reader.file_bytes());
    if (i > 0) {
      FUZZ_CHECK(keyframes[i].step >= keyframes[i - 1].step);
      FUZZ_CHECK(keyframes[i].offset > keyframes[i - 1].offset);
    }
  }
  // Seeking lands at or before the step asked for (an index may point
  // anywhere in a damaged file: reading from there must just stop).
  for (size_t i = 0; i < keyframes.size() && i < 8; ++i) {
    FUZZ_CHECK(reader.SeekToKeyframe(keyframes[i].step) <= keyframes[i].step);
    CountEntries(reader);
  }
}

void CheckScanAndRepair(const fs::path& record) {
  const recording::RecordSummary repaired = recording::ScanRecord(record, /*repair=*/true);
  FUZZ_CHECK(fs::file_size(record) == repaired.size_bytes);
  FUZZ_CHECK(repaired.was_torn == (repaired.cut_bytes > 0));
  const recording::RecordSummary again = recording::ScanRecord(record, /*repair=*/false);
  FUZZ_CHECK(!again.was_torn);
  FUZZ_CHECK(again.size_bytes == repaired.size_bytes);
  FUZZ_CHECK(again.ended == repaired.ended);
  FUZZ_CHECK(again.last_step == repaired.last_step);
  FUZZ_CHECK(again.annotations.size() == repaired.annotations.size());
}

}  // namespace
}  // namespace pedisim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pedisim;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.starts_with(recording::kRecordMagic)) {
    fuzz::CheckFramesOnBytes(bytes.substr(recording::kRecordMagic.size()));
  }
  const size_t index_at = bytes.rfind(recording::kIndexMagic);
  const fuzz::fs::path record = fuzz::TemporaryFolder() / "session.psrec";
  fuzz::WriteFile(record, bytes.substr(0, index_at));
  const fuzz::fs::path index = recording::IndexPathFor(record);
  if (index_at == std::string_view::npos) {
    fuzz::fs::remove(index);
  } else {
    fuzz::WriteFile(index, bytes.substr(index_at));
  }
  try {
    fuzz::CheckReader(record);
    fuzz::CheckScanAndRepair(record);
  } catch (const recording::RecordError&) {
    // Not a record (bad magic, no header): refused with a message, as documented.
  }
  return 0;
}

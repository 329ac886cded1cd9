#include "core/record_file/record_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/record_file/record_frames.h"
#include "core/record_file/record_writer.h"

namespace pedisim::recording {

namespace {
uint64_t ReadU64(const char* bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}
}  // namespace

RecordReader::RecordReader(std::filesystem::path path) : path_(std::move(path)) {
  file_.reset(std::fopen(path_.c_str(), "rb"));
  if (!file_) throw RecordError(path_.string() + ": " + std::strerror(errno));
  std::error_code error;
  file_bytes_ = std::filesystem::file_size(path_, error);
  std::string magic(kRecordMagic.size(), '\0');
  if (std::fread(magic.data(), 1, magic.size(), file_.get()) != magic.size() ||
      magic != kRecordMagic) {
    throw RecordError(path_.string() + ": not a PediSim record (bad magic)");
  }
  position_ = magic.size();
  std::string payload;
  if (!ReadFrame(&payload) || !header_.ParseFromString(payload)) {
    throw RecordError(path_.string() + ": record header missing or damaged");
  }
  first_entry_offset_ = position_;
  LoadIndex();
  Rewind();
}

RecordReader::~RecordReader() = default;

void RecordReader::LoadIndex() {
  std::ifstream in(IndexPathFor(path_), std::ios::binary);
  const std::string index((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (index.starts_with(kIndexMagic)) {
    for (size_t at = kIndexMagic.size(); at + 16 <= index.size(); at += 16) {
      const KeyframeRef ref{ReadU64(index.data() + at), ReadU64(index.data() + at + 8)};
      // Anything out of order or past the file is not trusted, nor what follows.
      const bool ordered = keyframes_.empty() || (ref.step >= keyframes_.back().step &&
                                                  ref.offset > keyframes_.back().offset);
      if (!ordered || ref.offset < first_entry_offset_ || ref.offset >= file_bytes_) break;
      keyframes_.push_back(ref);
    }
  }
  // Frames the index has not caught up with (a crash between the record's
  // write and the index's): scan from the last indexed keyframe on.
  SeekTo(keyframes_.empty() ? first_entry_offset_ : keyframes_.back().offset);
  if (!keyframes_.empty()) {
    std::string skipped;
    if (!ReadFrame(&skipped)) return;
  }
  v1::RecordEntry entry;
  while (true) {
    const uint64_t offset = position_;
    if (!Next(&entry)) break;
    if (entry.has_keyframe()) keyframes_.push_back({entry.step(), offset});
  }
}

void RecordReader::SeekTo(uint64_t offset) {
  if (fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0) {
    throw RecordError(path_.string() + ": seek failed: " + std::strerror(errno));
  }
  position_ = offset;
  torn_ = false;
}

void RecordReader::Rewind() { SeekTo(first_entry_offset_); }

uint64_t RecordReader::SeekToKeyframe(uint64_t step) {
  auto after = std::upper_bound(keyframes_.begin(), keyframes_.end(), step,
                                [](uint64_t s, const KeyframeRef& ref) { return s < ref.step; });
  if (after == keyframes_.begin()) {
    Rewind();
    return 0;
  }
  const KeyframeRef& ref = *std::prev(after);
  SeekTo(ref.offset);
  return ref.step;
}

bool RecordReader::Next(v1::RecordEntry* entry) {
  const uint64_t start = position_;
  if (!ReadFrame(&payload_)) return false;
  if (!entry->ParseFromString(payload_)) {
    // A good checksum over bytes that do not parse: written by something
    // else. The record ends before it, so a repair cuts it too.
    SeekTo(start);
    torn_ = true;
    return false;
  }
  return true;
}

bool RecordReader::ReadFrame(std::string* payload) {
  char header[kFrameHeaderBytes];
  const size_t got = std::fread(header, 1, sizeof header, file_.get());
  if (got < sizeof header) {
    torn_ = got > 0;
    if (got > 0) fseeko(file_.get(), static_cast<off_t>(position_), SEEK_SET);
    return false;
  }
  const DecodedFrame head = DecodeFrame(std::string_view(header, sizeof header));
  if (head.result == FrameResult::kFrame) {  // an empty payload
    position_ += head.size;
    payload->clear();
    return true;
  }
  if (head.result == FrameResult::kCorrupt || !head.wanted) {
    torn_ = true;
    fseeko(file_.get(), static_cast<off_t>(position_), SEEK_SET);
    return false;
  }
  std::string& frame = *payload;
  frame.assign(header, sizeof header);
  frame.resize(*head.wanted);
  const size_t body = *head.wanted - sizeof header;
  if (std::fread(frame.data() + sizeof header, 1, body, file_.get()) != body) {
    torn_ = true;
    fseeko(file_.get(), static_cast<off_t>(position_), SEEK_SET);
    return false;
  }
  const DecodedFrame decoded = DecodeFrame(frame);
  if (decoded.result != FrameResult::kFrame) {
    torn_ = true;
    fseeko(file_.get(), static_cast<off_t>(position_), SEEK_SET);
    return false;
  }
  position_ += decoded.size;
  // Keep the payload only (the frame's header is not part of it).
  frame.erase(0, sizeof header);
  return true;
}

namespace {
// Drops index entries at or past `valid_bytes`: once the record grows again
// they would point into new frames.
void TrimIndex(const std::filesystem::path& record, uint64_t valid_bytes) {
  const std::filesystem::path index = IndexPathFor(record);
  std::ifstream in(index, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  if (!bytes.starts_with(kIndexMagic)) {
    std::filesystem::remove(index);
    return;
  }
  std::string kept(kIndexMagic);
  for (size_t at = kIndexMagic.size(); at + 16 <= bytes.size(); at += 16) {
    if (ReadU64(bytes.data() + at + 8) >= valid_bytes) break;
    kept.append(bytes, at, 16);
  }
  const std::filesystem::path temporary = index.string() + ".tmp";
  std::ofstream(temporary, std::ios::binary | std::ios::trunc) << kept;
  std::filesystem::rename(temporary, index);
}
}  // namespace

RecordSummary ScanRecord(const std::filesystem::path& path, bool repair) {
  RecordReader reader(path);
  RecordSummary summary;
  summary.header = reader.header();
  v1::RecordEntry entry;
  while (reader.Next(&entry)) {
    summary.last_step = std::max<uint64_t>(summary.last_step, entry.step());
    if (entry.has_end()) {
      summary.ended = true;
      summary.final_session = entry.end().session();
      summary.last_state = summary.final_session.current_state();
      if (summary.final_session.has_assessment()) {
        summary.last_assessment = summary.final_session.assessment();
      }
    } else if (entry.has_assessment()) {
      summary.last_assessment = entry.assessment();
    } else if (entry.has_final_assessment()) {
      summary.last_assessment = entry.final_assessment();
    } else if (entry.has_event()) {
      const v1::Event& event = entry.event();
      if (event.kind() == v1::EVENT_KIND_SESSION_STARTED) summary.started = true;
      if (event.has_state_change() && event.kind() == v1::EVENT_KIND_STATE_ENTERED) {
        summary.last_state = event.state_change().to_state();
      }
      if (event.has_bookmark()) {
        v1::Annotation& note = summary.annotations.emplace_back();
        note.set_event_id(event.id());
        note.set_sim_time_s(event.sim_time_s());
        note.set_category(event.bookmark().category());
        note.set_label(event.bookmark().label());
        note.set_comment(event.bookmark().note());
        note.set_author(event.source());
        *note.mutable_created_at() = event.wall_time();
      }
    } else if (entry.has_annotation()) {
      summary.annotations.push_back(entry.annotation());
    } else if (entry.has_keyframe() && summary.last_state.empty()) {
      summary.last_state = entry.keyframe().session().current_state();
    }
  }
  summary.size_bytes = reader.valid_bytes();
  const bool torn = reader.valid_bytes() < reader.file_bytes();
  if (torn) {
    summary.was_torn = true;
    summary.cut_bytes = reader.file_bytes() - reader.valid_bytes();
    if (repair) {
      if (::truncate(path.c_str(), static_cast<off_t>(reader.valid_bytes())) != 0) {
        throw RecordError(path.string() + ": cannot cut the torn tail: " + std::strerror(errno));
      }
      TrimIndex(path, reader.valid_bytes());
    }
  }
  std::stable_sort(summary.annotations.begin(), summary.annotations.end(),
                   [](const v1::Annotation& a, const v1::Annotation& b) {
                     return a.sim_time_s() < b.sim_time_s();
                   });
  return summary;
}

}  // namespace pedisim::recording

#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "controller/waveforms/waveform_generator.h"
#include "core/record_file/record_writer.h"
#include "pedisim/v1/recording.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::recording {

// The record of one live session: `<folder>/session.psrec` and its index
// (docs/recording.md). The session calls it under its lock with every update
// it publishes and at the end of every engine step; entries are flushed to
// the operating system at least once a wall-clock second, and at once when
// the session acknowledges an instructor's input. A write error (a full disk)
// is logged once and counted; the session goes on and the record stays
// valid up to its last good flush.
class SessionRecorder {
 public:
  static constexpr const char* kRecordName = "session.psrec";
  // A keyframe every 30 simulated seconds bounds what a seek reads and
  // regenerates (about 300 entries) at a tenth of the record's size.
  static constexpr uint64_t kKeyframeSteps = 300;
  static constexpr std::chrono::milliseconds kFlushInterval{1000};

  // Creates `folder` and the record with `header`; throws
  // std::runtime_error when it cannot.
  SessionRecorder(std::filesystem::path folder, const v1::RecordHeader& header);
  // Goes on writing the record in `folder` (a session resumed after a
  // restart), after what it holds; its torn tail, if any, must have been
  // cut (ScanRecord with repair). Throws std::runtime_error when it cannot.
  struct Continue {};
  SessionRecorder(std::filesystem::path folder, Continue);
  ~SessionRecorder();
  SessionRecorder(const SessionRecorder&) = delete;
  SessionRecorder& operator=(const SessionRecorder&) = delete;

  // An update the session published at engine step `step` (waveform chunks
  // are ignored: they are regenerated from the record).
  void OnUpdate(const v1::SessionUpdate& update, uint64_t step);
  // The end of engine step `step`: its waveform inputs (when they changed)
  // and, every kKeyframeSteps, a keyframe made from `snapshot` and the
  // generator's state.
  void OnStepEnd(uint64_t step, const waveforms::WaveformInputs& inputs,
                 const waveforms::WaveformGenerator* generator,
                 const std::function<v1::Session()>& snapshot);
  // Appends an annotation made after the session ended and flushes it;
  // false (see error()) when it could not be written.
  bool AppendAnnotation(const v1::Annotation& annotation, uint64_t step);
  // Whether entries wait behind a failed write.
  bool HasWaiting() const { return writer_ && writer_->waiting_bytes() > 0; }
  // Flushes when the last flush is kFlushInterval old.
  void MaybeFlush();
  void Flush();
  // The RecordEnd with the final session; flushes and closes the record.
  void Finish(const v1::Session& session, uint64_t step);
  bool finished() const { return finished_; }

  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path record_path() const { return folder_ / kRecordName; }
  uint64_t write_errors() const { return writer_ ? writer_->write_errors() : 0; }
  uint64_t bytes_written() const { return writer_ ? writer_->flushed_bytes() : 0; }
  // The last write error, empty when writing works.
  std::string error() const;

 private:
  void Append(const v1::RecordEntry& entry);

  std::filesystem::path folder_;
  std::optional<RecordWriter> writer_;
  std::chrono::steady_clock::time_point last_flush_;
  std::optional<waveforms::WaveformInputs> last_inputs_;
  std::optional<v1::VitalsSample> last_vitals_;
  std::optional<v1::Assessment> last_assessment_;
  std::string last_assessment_bytes_;
  bool finished_ = false;
  bool error_logged_ = false;
  bool last_flush_failed_ = false;
};

}  // namespace pedisim::recording

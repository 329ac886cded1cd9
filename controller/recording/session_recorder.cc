#include "controller/recording/session_recorder.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "controller/recording/waveform_inputs.h"

namespace pedisim::recording {

namespace {
std::string TimelessBytes(v1::Assessment assessment) {
  assessment.clear_sim_time_s();
  for (v1::ItemGrade& item : *assessment.mutable_items()) item.clear_seconds_left();
  return assessment.SerializeAsString();
}
}  // namespace

SessionRecorder::SessionRecorder(std::filesystem::path folder, const v1::RecordHeader& header)
    : folder_(std::move(folder)) {
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error) {
    throw std::runtime_error("cannot create session folder " + folder_.string() + ": " +
                             error.message());
  }
  writer_.emplace(record_path(), header);
  last_flush_ = std::chrono::steady_clock::now();
}

SessionRecorder::SessionRecorder(std::filesystem::path folder, Continue)
    : folder_(std::move(folder)) {
  writer_.emplace(RecordWriter::Reopen(record_path()));
  last_flush_ = std::chrono::steady_clock::now();
}

SessionRecorder::~SessionRecorder() {
  if (writer_) Flush();
}

void SessionRecorder::Append(const v1::RecordEntry& entry) {
  if (!writer_) return;
  writer_->Append(entry);
}

void SessionRecorder::OnUpdate(const v1::SessionUpdate& update, uint64_t step) {
  v1::RecordEntry entry;
  entry.set_step(step);
  if (finished_) {
    // After the end only the assessment changes (grades overridden, scores
    // released during the debrief): each is kept at once.
    if (update.has_event()) {
      *entry.mutable_event() = update.event();
    } else if (update.has_assessment()) {
      *entry.mutable_final_assessment() = update.assessment();
    } else {
      return;
    }
    Append(entry);
    Flush();
    return;
  }
  switch (update.update_case()) {
    case v1::SessionUpdate::kEvent:
      *entry.mutable_event() = update.event();
      break;
    case v1::SessionUpdate::kVitals:
      *entry.mutable_vitals() = update.vitals();
      last_vitals_ = update.vitals();
      break;
    case v1::SessionUpdate::kSnapshot:
      *entry.mutable_snapshot() = update.snapshot();
      break;
    case v1::SessionUpdate::kAssessment: {
      last_assessment_ = update.assessment();
      // While a deadline counts down the assessment is published every
      // second with only its clock moving; the player recomputes those, so
      // only real changes are kept (a third of the record otherwise).
      std::string timeless = TimelessBytes(update.assessment());
      if (timeless == last_assessment_bytes_) return;
      last_assessment_bytes_ = std::move(timeless);
      *entry.mutable_assessment() = update.assessment();
      break;
    }
    default:
      return;  // waveforms: regenerated, never stored
  }
  Append(entry);
}

void SessionRecorder::OnStepEnd(uint64_t step, const waveforms::WaveformInputs& inputs,
                                const waveforms::WaveformGenerator* generator,
                                const std::function<v1::Session()>& snapshot) {
  if (finished_) return;
  if (!last_inputs_ || !(*last_inputs_ == inputs)) {
    v1::RecordEntry entry;
    entry.set_step(step);
    *entry.mutable_waveform_inputs() = ToProto(inputs);
    Append(entry);
    last_inputs_ = inputs;
  }
  if (step % kKeyframeSteps != 0) return;
  v1::RecordEntry entry;
  entry.set_step(step);
  v1::Keyframe& keyframe = *entry.mutable_keyframe();
  *keyframe.mutable_session() = snapshot();
  if (last_vitals_) *keyframe.mutable_vitals() = *last_vitals_;
  // The snapshot carries the assessment as it is now.
  if (generator) keyframe.set_waveform_state(generator->SaveState());
  *keyframe.mutable_waveform_inputs() = ToProto(inputs);
  Append(entry);
}

bool SessionRecorder::AppendAnnotation(const v1::Annotation& annotation, uint64_t step) {
  v1::RecordEntry entry;
  entry.set_step(step);
  *entry.mutable_annotation() = annotation;
  Append(entry);
  Flush();
  return !last_flush_failed_;
}

void SessionRecorder::MaybeFlush() {
  if (std::chrono::steady_clock::now() - last_flush_ >= kFlushInterval) Flush();
}

void SessionRecorder::Flush() {
  if (!writer_) return;
  last_flush_ = std::chrono::steady_clock::now();
  const bool ok = writer_->Flush();
  if (!ok && !error_logged_) {
    spdlog::error(
        "recording {} failed: {} (the record stays valid up to its last flush; "
        "writing is retried every second)",
        writer_->path().string(), writer_->last_error());
    error_logged_ = true;
  } else if (ok && last_flush_failed_) {
    spdlog::info("recording {} works again", writer_->path().string());
    error_logged_ = false;
  }
  last_flush_failed_ = !ok;
}

void SessionRecorder::Finish(const v1::Session& session, uint64_t step) {
  if (finished_) return;
  v1::RecordEntry entry;
  entry.set_step(step);
  *entry.mutable_end()->mutable_session() = session;
  Append(entry);
  finished_ = true;
  Flush();
}

std::string SessionRecorder::error() const {
  return last_flush_failed_ && writer_ ? writer_->last_error() : std::string();
}

}  // namespace pedisim::recording

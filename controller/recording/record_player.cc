#include "controller/recording/record_player.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "controller/recording/waveform_inputs.h"

namespace pedisim::recording {

RecordPlayer::RecordPlayer(const std::filesystem::path& record, const Options& options)
    : reader_(record), options_(options) {
  start_step_ = options.from_event_id
                    ? FindEventStep(*options.from_event_id)
                    : static_cast<uint64_t>(std::llround(std::max(0.0, options.from_s) / kStepS));
  if (options.until_s) {
    until_step_ = static_cast<uint64_t>(std::llround(std::max(0.0, *options.until_s) / kStepS));
  }
  // The keyframe must be strictly before the start, so that the events of
  // the start step itself are all played.
  const std::vector<KeyframeRef>& keyframes = reader_.keyframes();
  if (start_step_ == 0 || keyframes.empty() || keyframes.front().step >= start_step_) {
    reader_.Rewind();
    StartFromHeader();
    return;
  }
  reader_.SeekToKeyframe(start_step_ - 1);
  v1::RecordEntry entry;
  if (!reader_.Next(&entry) || !entry.has_keyframe()) {
    throw RecordError(record.string() + ": the index points at something not a keyframe");
  }
  StartFromKeyframe(entry.keyframe(), entry.step());
}

uint64_t RecordPlayer::FindEventStep(uint64_t event_id) {
  v1::RecordEntry entry;
  while (reader_.Next(&entry)) {
    if (entry.has_event() && entry.event().id() == event_id) {
      reader_.Rewind();
      return entry.step();
    }
  }
  throw std::out_of_range("from_event_id: the record has no event " + std::to_string(event_id));
}

void RecordPlayer::StartFromHeader() {
  const v1::RecordHeader& header = reader_.header();
  v1::SessionUpdate update;
  v1::Session& session = *update.mutable_snapshot();
  session.set_id(header.session_id());
  session.set_scenario_id(header.scenario().id());
  session.set_scenario_title(header.scenario().title());
  session.set_status(v1::SESSION_STATUS_CREATED);
  session.set_speed(header.speed());
  session.set_seed(header.seed());
  *session.mutable_patient() = header.patient();
  *session.mutable_participants() = header.participants();
  *session.mutable_created_at() = header.created_at();
  Emit(std::move(update), 0);
  if (options_.waveforms) generator_.emplace(header.seed());
  generated_step_ = 0;
}

void RecordPlayer::StartFromKeyframe(const v1::Keyframe& keyframe, uint64_t step) {
  v1::SessionUpdate update;
  *update.mutable_snapshot() = keyframe.session();
  Emit(update, step);
  if (keyframe.has_vitals()) {
    v1::SessionUpdate vitals;
    *vitals.mutable_vitals() = keyframe.vitals();
    Emit(std::move(vitals), step);
  }
  if (keyframe.session().has_assessment()) {
    last_assessment_ = keyframe.session().assessment();
    v1::SessionUpdate update;
    *update.mutable_assessment() = *last_assessment_;
    Emit(std::move(update), step);
  }
  if (options_.waveforms) {
    generator_.emplace(reader_.header().seed());
    // Throws std::runtime_error for a state this build cannot restore.
    generator_->LoadState(keyframe.waveform_state());
  }
  inputs_ = FromProto(keyframe.waveform_inputs());
  generated_step_ = step;
}

void RecordPlayer::Emit(v1::SessionUpdate update, uint64_t step) {
  Played& played = ready_.emplace_back();
  played.update = std::move(update);
  played.sim_time_s = static_cast<double>(step) * kStepS;
  played.catching_up = step < start_step_;
}

void RecordPlayer::GenerateThrough(uint64_t step) {
  if (!generator_) {
    generated_step_ = std::max(generated_step_, step);
    return;
  }
  for (uint64_t k = generated_step_ + 1; k <= step; ++k) {
    // The same arithmetic as the live session: a step from (k-1) x 0.1 s
    // to k x 0.1 s, each a product of whole steps.
    const double start_s = static_cast<double>(k - 1) * kStepS;
    const double end_s = static_cast<double>(k) * kStepS;
    chunks_.clear();
    generator_->Generate(inputs_, start_s, end_s - start_s, &chunks_);
    // Chunks before the start only move the generator on.
    if (k <= start_step_) continue;
    for (v1::WaveformChunk& chunk : chunks_) {
      v1::SessionUpdate update;
      *update.mutable_waveform() = std::move(chunk);
      Emit(std::move(update), k);
    }
  }
  generated_step_ = std::max(generated_step_, step);
}

void RecordPlayer::Play(const v1::RecordEntry& entry) {
  const uint64_t step = entry.step();
  if (until_step_ && step > *until_step_) {
    GenerateThrough(*until_step_);
    ended_ = true;
    return;
  }
  // Entries of a step come before its waveform inputs: the steps before it
  // are complete, this one is once its inputs (or a later step) appear.
  if (step > 0) GenerateThrough(step - 1);
  v1::SessionUpdate update;
  switch (entry.entry_case()) {
    case v1::RecordEntry::kEvent:
      *update.mutable_event() = entry.event();
      break;
    case v1::RecordEntry::kVitals:
      *update.mutable_vitals() = entry.vitals();
      Emit(std::move(update), step);
      EmitCountdown(entry.vitals().sim_time_s(), step);
      return;
    case v1::RecordEntry::kSnapshot:
      *update.mutable_snapshot() = entry.snapshot();
      break;
    case v1::RecordEntry::kAssessment:
      *update.mutable_assessment() = entry.assessment();
      last_assessment_ = entry.assessment();
      break;
    case v1::RecordEntry::kFinalAssessment:
      *update.mutable_assessment() = entry.final_assessment();
      break;
    case v1::RecordEntry::kWaveformInputs:
      inputs_ = FromProto(entry.waveform_inputs());
      GenerateThrough(step);
      return;
    case v1::RecordEntry::kKeyframe:
      GenerateThrough(step);
      return;
    case v1::RecordEntry::kEnd:
      GenerateThrough(step);
      *update.mutable_snapshot() = entry.end().session();
      break;
    default:
      return;  // annotations are listed by GetRecording, not played
  }
  Emit(std::move(update), step);
}

void RecordPlayer::EmitCountdown(double sim_time_s, uint64_t step) {
  // The record keeps the assessment only when it changes; live, it also
  // went out each second while a deadline counted down.
  if (!last_assessment_ || last_assessment_->sim_time_s() >= sim_time_s) return;
  bool counting = false;
  v1::SessionUpdate update;
  v1::Assessment& assessment = *update.mutable_assessment() = *last_assessment_;
  for (v1::ItemGrade& item : *assessment.mutable_items()) {
    if (!item.has_seconds_left() || !item.has_deadline_s()) continue;
    item.set_seconds_left(std::max(0.0, item.deadline_s() - sim_time_s));
    counting = true;
  }
  if (!counting) return;
  assessment.set_sim_time_s(sim_time_s);
  Emit(std::move(update), step);
}

bool RecordPlayer::Next(Played* played) {
  v1::RecordEntry entry;
  while (ready_.empty() && !ended_) {
    if (!reader_.Next(&entry)) {
      ended_ = true;
      break;
    }
    Play(entry);
  }
  if (ready_.empty()) return false;
  *played = std::move(ready_.front());
  ready_.pop_front();
  return true;
}

}  // namespace pedisim::recording

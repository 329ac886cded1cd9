#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <vector>

#include "controller/waveforms/waveform_generator.h"
#include "core/record_file/record_reader.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::recording {

// Turns a record back into the updates a Watch stream carried, from any
// point: it seeks to the keyframe before the start, sends that keyframe's
// snapshot, numerics and assessment, then every entry in order. Waveforms are
// regenerated from the recorded generator inputs, restored from the keyframe,
// so they equal what was streamed live sample for sample.
class RecordPlayer {
 public:
  struct Options {
    // Start at this simulated time, or at the moment of this event.
    double from_s = 0;
    std::optional<uint64_t> from_event_id;
    bool waveforms = false;
    // Stop after this simulated time; none = the end of the record.
    std::optional<double> until_s;
  };

  struct Played {
    v1::SessionUpdate update;
    double sim_time_s = 0;
    // Before the start point: sent at once (not paced) so the player's
    // client holds the state at the start point.
    bool catching_up = false;
  };

  // Throws RecordError for an unreadable record, and std::out_of_range when
  // from_event_id is not in it.
  RecordPlayer(const std::filesystem::path& record, const Options& options);

  // The next update; false at the end of the record (or of what was flushed).
  bool Next(Played* played);

  const v1::RecordHeader& header() const { return reader_.header(); }
  double start_s() const { return static_cast<double>(start_step_) * kStepS; }

 private:
  static constexpr double kStepS = 0.1;

  void Emit(v1::SessionUpdate update, uint64_t step);
  void GenerateThrough(uint64_t step);
  void EmitCountdown(double sim_time_s, uint64_t step);
  void Play(const v1::RecordEntry& entry);
  void StartFromKeyframe(const v1::Keyframe& keyframe, uint64_t step);
  void StartFromHeader();
  uint64_t FindEventStep(uint64_t event_id);

  RecordReader reader_;
  Options options_;
  uint64_t start_step_ = 0;
  std::optional<uint64_t> until_step_;
  std::deque<Played> ready_;
  bool ended_ = false;
  // Waveforms.
  std::optional<waveforms::WaveformGenerator> generator_;
  waveforms::WaveformInputs inputs_;
  uint64_t generated_step_ = 0;
  std::vector<v1::WaveformChunk> chunks_;
  std::optional<v1::Assessment> last_assessment_;
};

}  // namespace pedisim::recording

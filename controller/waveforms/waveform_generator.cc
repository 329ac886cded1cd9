#include "controller/waveforms/waveform_generator.h"

#include <algorithm>
#include <span>
#include <stdexcept>

#include "controller/waveforms/breathing.h"
#include "controller/waveforms/sample_grid.h"
#include "controller/waveforms/state_archive.h"

namespace pedisim::waveforms {
namespace {

static_assert(WaveformGenerator::kCapnogramSampleRateHz == kBreathingSampleRateHz);
static_assert(WaveformGenerator::kRespirationSampleRateHz == kBreathingSampleRateHz);

// Appends the chunk of one kind for [start_s, end_s) and lets fill write its
// samples in place: fill(first_sample_index, samples).
template <typename Fill>
void AppendChunk(v1::WaveformKind kind, double rate_hz, double start_s, double end_s,
                 std::vector<v1::WaveformChunk>* chunks, Fill fill) {
  const int64_t first = FirstSampleAtOrAfter(start_s, rate_hz);
  const int64_t count = std::max<int64_t>(FirstSampleAtOrAfter(end_s, rate_hz) - first, 0);
  v1::WaveformChunk& chunk = chunks->emplace_back();
  chunk.set_kind(kind);
  chunk.set_sample_rate_hz(rate_hz);
  chunk.set_start_sim_time_s(SampleTime(first, rate_hz));
  google::protobuf::RepeatedField<float>* samples = chunk.mutable_samples();
  samples->Resize(static_cast<int>(count), 0.0f);
  fill(first, std::span<float>(samples->mutable_data(), static_cast<size_t>(count)));
}

}  // namespace

WaveformGenerator::WaveformGenerator(uint64_t seed) : ecg_(seed), pleth_(seed) {
  beats_.reserve(16);
}

void WaveformGenerator::Generate(const WaveformInputs& inputs, double start_s, double duration_s,
                                 std::vector<v1::WaveformChunk>* chunks) {
  const double end_s = start_s + std::max(duration_s, 0.0);

  // Every clock advances once per call, in simulated time; each waveform then
  // reads the clocks at its own sample times.
  if (inputs.compressions_active) compression_depth_mm_ = inputs.compression_depth_mm;
  const CycleSpan compressions = compression_clock_.Advance(
      start_s, end_s,
      inputs.compressions_active ? std::max(inputs.compression_rate_per_min, 0.0) / 60.0 : 0.0);
  const CycleSpan breaths =
      breath_clock_.Advance(start_s, end_s, std::max(inputs.respiratory_rate_bpm, 0.0) / 60.0);

  beats_.clear();
  ecg_.ScheduleBeats(inputs.rhythm, inputs.heart_rate_bpm, start_s, end_s, &beats_);
  if (inputs.pulse_present) {
    for (const VentricularBeat& beat : beats_) pleth_.AddPulse(beat, inputs.spo2_pct);
  }

  chunks->reserve(chunks->size() + 4);
  AppendChunk(v1::WAVEFORM_KIND_ECG_II, kEcgSampleRateHz, start_s, end_s, chunks,
              [&](int64_t first, std::span<float> out) {
                ecg_.Render(first, out, compressions, compression_depth_mm_);
              });
  AppendChunk(v1::WAVEFORM_KIND_PLETH, kPlethSampleRateHz, start_s, end_s, chunks,
              [&](int64_t first, std::span<float> out) {
                pleth_.Render(first, out, compressions, compression_depth_mm_);
              });
  AppendChunk(v1::WAVEFORM_KIND_CAPNOGRAM, kCapnogramSampleRateHz, start_s, end_s, chunks,
              [&](int64_t first, std::span<float> out) {
                RenderCapnogram(first, breaths, inputs.etco2_mmhg, compressions,
                                compression_depth_mm_, out);
              });
  AppendChunk(v1::WAVEFORM_KIND_RESPIRATION, kRespirationSampleRateHz, start_s, end_s, chunks,
              [&](int64_t first, std::span<float> out) { RenderRespiration(first, breaths, out); });
}

}  // namespace pedisim::waveforms

namespace pedisim::waveforms {

// Format version first, so a state from an older layout fails to load
// instead of loading into the wrong fields.
constexpr uint32_t kStateFormat = 1;

template <class Archive>
void WaveformGenerator::VisitState(Archive& archive) {
  ecg_.VisitState(archive);
  pleth_.VisitState(archive);
  archive.Field(breath_clock_);
  archive.Field(compression_clock_);
  archive.Field(compression_depth_mm_);
  archive.Field(beats_);
}

std::string WaveformGenerator::SaveState() const {
  StateWriter writer;
  writer.Field(kStateFormat);
  // Visiting does not change anything; it is shared with LoadState.
  const_cast<WaveformGenerator*>(this)->VisitState(writer);
  return writer.Take();
}

void WaveformGenerator::LoadState(std::string_view state) {
  StateReader reader(state);
  uint32_t format = 0;
  reader.Field(format);
  if (format != kStateFormat) throw std::runtime_error("waveform state: unknown format");
  VisitState(reader);
  reader.ExpectEnd();
}

}  // namespace pedisim::waveforms

#pragma once

// ECG lead II at 500 Hz: beats built from P, QRS and T bumps, driven by phase
// accumulators for the atria and the ventricles so that rate changes are
// smooth, plus the continuous activity of flutter and fibrillation, the CPR
// artifact and a little baseline noise.

#include <cstdint>
#include <span>
#include <vector>

#include "controller/waveforms/bump.h"
#include "controller/waveforms/cycle_clock.h"
#include "controller/waveforms/fibrillation.h"
#include "controller/util/deterministic_noise.h"
#include "pedisim/v1/vitals.pb.h"

namespace pedisim::waveforms {

// A ventricular depolarization, reported so that the pleth can follow it.
struct VentricularBeat {
  double r_peak_s = 0;
  // The R-R interval the beat was scheduled for (60 / heart rate).
  double rr_s = 0;
};

class EcgSynthesizer {
 public:
  static constexpr double kSampleRateHz = 500.0;

  explicit EcgSynthesizer(uint64_t seed);

  // Starts the beats whose activation falls in [start_s, end_s) and appends
  // each ventricular depolarization among them to beats.
  void ScheduleBeats(v1::Rhythm rhythm, double heart_rate_bpm, double start_s, double end_s,
                     std::vector<VentricularBeat>* beats);

  // Writes samples first_index, first_index + 1, ... into out (mV), with the
  // artifact of the compressions described by the span.
  void Render(int64_t first_index, std::span<float> out, const CycleSpan& compressions,
              double compression_depth_mm);

  // The state that carries over between calls (see state_archive.h).
  template <class Archive>
  void VisitState(Archive& archive) {
    archive.Field(atrial_clock_);
    archive.Field(ventricular_clock_);
    archive.Field(flutter_clock_);
    archive.Field(flutter_span_);
    archive.Field(fibrillating_);
    archive.Field(fibrillation_);
    archive.Field(waves_);
    archive.Field(wenckebach_position_);
    archive.Field(torsades_spindle_);
    archive.Field(torsades_spindle_length_);
    archive.Field(torsades_beat_in_spindle_);
  }

 private:
  struct RhythmPlan;

  void OnAtrialDepolarization(double onset_s, const RhythmPlan& plan, double rr_s,
                              std::vector<VentricularBeat>* beats);
  void StartVentricularComplex(double qrs_onset_s, double rr_s, const RhythmPlan& plan,
                               std::vector<VentricularBeat>* beats);
  double NextTorsadesScale();

  CycleClock atrial_clock_;
  CycleClock ventricular_clock_;
  CycleClock flutter_clock_;
  CycleSpan flutter_span_;
  bool fibrillating_ = false;
  Fibrillation fibrillation_;
  NoiseStream baseline_noise_;
  NoiseStream torsades_noise_;
  // Waves of beats in progress; each sample sums those that cover it.
  std::vector<Bump> waves_;
  std::vector<double> cycle_starts_;
  // Position of the next P wave in the 4:3 Wenckebach cycle (3 = blocked).
  int wenckebach_position_ = 0;
  // Torsades: complexes come in spindles whose length varies.
  uint64_t torsades_spindle_ = 0;
  int torsades_spindle_length_ = 0;
  int torsades_beat_in_spindle_ = 0;
};

}  // namespace pedisim::waveforms

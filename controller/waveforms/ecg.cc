#include "controller/waveforms/ecg.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "controller/waveforms/compressions.h"
#include "controller/waveforms/ecg_morphology.h"
#include "controller/waveforms/sample_grid.h"

namespace pedisim::waveforms {
namespace {

// A fresh generator places its first beat a quarter cycle in, so a session's
// monitor shows a complex within the first second rather than after a full
// (possibly 1.5 s) R-R interval.
constexpr double kFirstBeatPhase = 0.75;

constexpr double kBaselineNoiseMv = 0.01;

// Flutter waves: a re-entrant atrial circuit at about 300/min, seen in lead II
// as a negative sawtooth (slow descent, quick return) with no isoelectric line.
constexpr double kFlutterPerS = 5.0;
constexpr double kFlutterWaveMv = 0.2;
constexpr double kFlutterDescentFraction = 0.75;

// Mobitz I: PR grows by shrinking steps (so R-R shortens) until the fourth P
// wave is blocked, and the cycle restarts with the shortest PR.
constexpr int kWenckebachCycle = 4;
constexpr double kWenckebachPrGrowth[kWenckebachCycle - 1] = {1.0, 1.6, 1.9};

// In complete block the sinus node keeps its own, faster rate; the generator
// is only told the ventricular (escape) rate, so the atrial rate is derived
// from it: 95-190/min for escape rates of 40-80/min, as in children. The ratio
// is far from any simple fraction, so P waves march through the QRS complexes
// instead of repeating a fixed pattern; the floor keeps P waves going in
// extreme bradycardia, and its ratios to round heart rates are not integers.
constexpr double kCompleteBlockAtrialToVentricular = 2.37;
constexpr double kCompleteBlockMinVentricularBpm = 35.0;

constexpr int kTorsadesMinSpindleBeats = 8;
constexpr int kTorsadesSpindleBeatsSpread = 7;

double FlutterWave(double phase) {
  if (phase < kFlutterDescentFraction) return -kFlutterWaveMv * phase / kFlutterDescentFraction;
  return -kFlutterWaveMv * (1.0 - phase) / (1.0 - kFlutterDescentFraction);
}

}  // namespace

// How a rhythm drives the two pacemakers and what its complexes look like.
struct EcgSynthesizer::RhythmPlan {
  enum class Conduction { kNone, kEveryBeat, kWenckebach };

  double atrial_per_s = 0.0;
  Conduction conduction = Conduction::kNone;
  double pr_s = 0.0;
  // A pacemaker below the AV node (or a re-entrant circuit whose P waves are
  // not seen) that drives the ventricles on its own.
  double ventricular_per_s = 0.0;
  QrsShape qrs_shape = QrsShape::kNarrow;
  bool flutter_waves = false;
  bool fibrillation = false;
  bool torsades = false;

  static RhythmPlan For(v1::Rhythm rhythm, double heart_rate_bpm) {
    const double ventricular_per_s = std::max(heart_rate_bpm, 0.0) / 60.0;
    const double rr_s = ventricular_per_s > 0.0 ? 1.0 / ventricular_per_s : 1.0;
    RhythmPlan plan;
    switch (rhythm) {
      case v1::RHYTHM_AV_BLOCK_FIRST_DEGREE:
        plan.atrial_per_s = ventricular_per_s;
        plan.conduction = Conduction::kEveryBeat;
        plan.pr_s = std::max(0.22, SinusPrInterval(rr_s) + 0.10);
        break;
      case v1::RHYTHM_AV_BLOCK_SECOND_DEGREE: {
        // Three of every four P waves conduct: the atria beat 4/3 as fast
        // as the ventricular rate the caller asked for.
        plan.atrial_per_s = ventricular_per_s * kWenckebachCycle / (kWenckebachCycle - 1);
        plan.conduction = Conduction::kWenckebach;
        const double atrial_period_s = plan.atrial_per_s > 0.0 ? 1.0 / plan.atrial_per_s : 1.0;
        plan.pr_s = std::clamp(0.2 * atrial_period_s, 0.10, 0.16);
        break;
      }
      case v1::RHYTHM_AV_BLOCK_THIRD_DEGREE:
        plan.atrial_per_s = kCompleteBlockAtrialToVentricular *
                            std::max(heart_rate_bpm, kCompleteBlockMinVentricularBpm) / 60.0;
        plan.ventricular_per_s = ventricular_per_s;
        plan.qrs_shape = QrsShape::kEscape;
        break;
      case v1::RHYTHM_SVT:
        plan.ventricular_per_s = ventricular_per_s;
        break;
      case v1::RHYTHM_ATRIAL_FLUTTER:
        plan.ventricular_per_s = ventricular_per_s;
        plan.flutter_waves = true;
        break;
      case v1::RHYTHM_VENTRICULAR_TACHYCARDIA:
        plan.ventricular_per_s = ventricular_per_s;
        plan.qrs_shape = QrsShape::kVentricular;
        break;
      case v1::RHYTHM_TORSADES:
        plan.ventricular_per_s = ventricular_per_s;
        plan.qrs_shape = QrsShape::kVentricular;
        plan.torsades = true;
        break;
      case v1::RHYTHM_VENTRICULAR_FIBRILLATION:
        plan.fibrillation = true;
        break;
      case v1::RHYTHM_ASYSTOLE:
        break;
      default:
        // Sinus, its fast and slow forms, PEA (organized electrical activity;
        // only the missing pulse tells it apart) and unspecified.
        plan.atrial_per_s = ventricular_per_s;
        plan.conduction = Conduction::kEveryBeat;
        plan.pr_s = SinusPrInterval(rr_s);
        break;
    }
    return plan;
  }
};

EcgSynthesizer::EcgSynthesizer(uint64_t seed)
    : atrial_clock_(kFirstBeatPhase),
      ventricular_clock_(kFirstBeatPhase),
      fibrillation_(seed, kSampleRateHz),
      baseline_noise_(seed, NoiseStreamId::kEcgBaseline),
      torsades_noise_(seed, NoiseStreamId::kTorsadesSpindle) {
  waves_.reserve(64);
  cycle_starts_.reserve(16);
  torsades_spindle_length_ = kTorsadesMinSpindleBeats;
}

void EcgSynthesizer::ScheduleBeats(v1::Rhythm rhythm, double heart_rate_bpm, double start_s,
                                   double end_s, std::vector<VentricularBeat>* beats) {
  const RhythmPlan plan = RhythmPlan::For(rhythm, heart_rate_bpm);
  const double rr_s = heart_rate_bpm > 0.0 ? 60.0 / heart_rate_bpm : 1.0;
  if (plan.conduction != RhythmPlan::Conduction::kWenckebach) wenckebach_position_ = 0;

  cycle_starts_.clear();
  atrial_clock_.Advance(start_s, end_s, plan.atrial_per_s, &cycle_starts_);
  for (double onset_s : cycle_starts_) OnAtrialDepolarization(onset_s, plan, rr_s, beats);

  cycle_starts_.clear();
  ventricular_clock_.Advance(start_s, end_s, plan.ventricular_per_s, &cycle_starts_);
  for (double onset_s : cycle_starts_) StartVentricularComplex(onset_s, rr_s, plan, beats);

  flutter_span_ = flutter_clock_.Advance(start_s, end_s, plan.flutter_waves ? kFlutterPerS : 0.0);
  fibrillating_ = plan.fibrillation;
}

void EcgSynthesizer::OnAtrialDepolarization(double onset_s, const RhythmPlan& plan, double rr_s,
                                            std::vector<VentricularBeat>* beats) {
  AppendPWave(onset_s, &waves_);
  switch (plan.conduction) {
    case RhythmPlan::Conduction::kNone:
      return;
    case RhythmPlan::Conduction::kEveryBeat:
      StartVentricularComplex(onset_s + plan.pr_s, rr_s, plan, beats);
      return;
    case RhythmPlan::Conduction::kWenckebach: {
      const int position = wenckebach_position_;
      wenckebach_position_ = (position + 1) % kWenckebachCycle;
      if (position == kWenckebachCycle - 1) return;  // blocked P wave: the dropped beat
      StartVentricularComplex(onset_s + plan.pr_s * kWenckebachPrGrowth[position], rr_s, plan,
                              beats);
      return;
    }
  }
}

void EcgSynthesizer::StartVentricularComplex(double qrs_onset_s, double rr_s,
                                             const RhythmPlan& plan,
                                             std::vector<VentricularBeat>* beats) {
  const double scale = plan.torsades ? NextTorsadesScale() : 1.0;
  AppendVentricularComplex(qrs_onset_s, rr_s, plan.qrs_shape, scale, &waves_);
  beats->push_back({.r_peak_s = qrs_onset_s + RPeakOffset(plan.qrs_shape), .rr_s = rr_s});
}

double EcgSynthesizer::NextTorsadesScale() {
  if (torsades_beat_in_spindle_ >= torsades_spindle_length_) {
    ++torsades_spindle_;
    torsades_beat_in_spindle_ = 0;
    torsades_spindle_length_ =
        kTorsadesMinSpindleBeats +
        static_cast<int>(kTorsadesSpindleBeatsSpread * torsades_noise_.Unit(torsades_spindle_));
  }
  // Amplitude waxes and wanes over the spindle and the axis twists between
  // spindles: the next one points the other way.
  const double envelope =
      std::sin(std::numbers::pi * (torsades_beat_in_spindle_ + 0.5) / torsades_spindle_length_);
  const double polarity = torsades_spindle_ % 2 == 0 ? 1.0 : -1.0;
  ++torsades_beat_in_spindle_;
  return polarity * (0.2 + 0.8 * envelope);
}

void EcgSynthesizer::Render(int64_t first_index, std::span<float> out,
                            const CycleSpan& compressions, double compression_depth_mm) {
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t index = first_index + static_cast<int64_t>(i);
    const double t = SampleTime(index, kSampleRateHz);
    double mv = SumAt(waves_, t);
    if (flutter_span_.moving()) mv += FlutterWave(flutter_span_.PhaseAt(t));
    mv += fibrillation_.NextSample(index, fibrillating_);
    if (compressions.moving()) {
      mv += CompressionEcgArtifact(compressions.PhaseAt(t), compression_depth_mm);
    }
    mv += kBaselineNoiseMv * baseline_noise_.Signed(static_cast<uint64_t>(index));
    out[i] = static_cast<float>(mv);
  }
  // Waves that ended before the next sample can no longer contribute.
  const double next_sample_s =
      SampleTime(first_index + static_cast<int64_t>(out.size()), kSampleRateHz);
  std::erase_if(waves_, [next_sample_s](const Bump& wave) { return wave.end_s() < next_sample_s; });
}

}  // namespace pedisim::waveforms

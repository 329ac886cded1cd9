// Waveform generation: shape checks measured on the generated samples the way
// a monitor or a reviewer would (peak detection, intervals, plateaus), with
// the generator driven in 0.1 s steps like the session drives it.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "controller/waveforms/waveform_generator.h"

namespace pedisim::waveforms {
namespace {

constexpr double kStepS = 0.1;

struct Recording {
  std::vector<float> ecg, pleth, capnogram, respiration;
};

// Drives a generator step by step and keeps every sample of every kind.
class Monitor {
 public:
  explicit Monitor(uint64_t seed = 7) : generator_(seed) {}

  void Run(const WaveformInputs& inputs, double seconds) {
    const int steps = static_cast<int>(std::lround(seconds / kStepS));
    for (int i = 0; i < steps; ++i, ++step_) {
      chunks_.clear();
      generator_.Generate(inputs, step_ * kStepS, kStepS, &chunks_);
      for (const v1::WaveformChunk& chunk : chunks_) {
        std::vector<float>& samples = SamplesOf(chunk.kind());
        samples.insert(samples.end(), chunk.samples().begin(), chunk.samples().end());
      }
    }
  }

  const Recording& recording() const { return recording_; }

 private:
  std::vector<float>& SamplesOf(v1::WaveformKind kind) {
    switch (kind) {
      case v1::WAVEFORM_KIND_PLETH:
        return recording_.pleth;
      case v1::WAVEFORM_KIND_CAPNOGRAM:
        return recording_.capnogram;
      case v1::WAVEFORM_KIND_RESPIRATION:
        return recording_.respiration;
      default:
        return recording_.ecg;
    }
  }

  WaveformGenerator generator_;
  int step_ = 0;
  std::vector<v1::WaveformChunk> chunks_;
  Recording recording_;
};

WaveformInputs Patient(v1::Rhythm rhythm, double heart_rate_bpm) {
  return WaveformInputs{.rhythm = rhythm,
                        .heart_rate_bpm = heart_rate_bpm,
                        .pulse_present = true,
                        .spo2_pct = 97,
                        .respiratory_rate_bpm = 24,
                        .etco2_mmhg = 38};
}

Recording Record(const WaveformInputs& inputs, double seconds) {
  Monitor monitor;
  monitor.Run(inputs, seconds);
  return monitor.recording();
}

// Local maxima above threshold that are the largest sample within
// +-half_window_s (a detector with a threshold and a refractory period, as
// monitors use for R waves), in seconds. Each is refined to sub-sample
// precision by a least-squares parabola through the samples within
// +-fit_half_window_s, which averages out the baseline noise on broad peaks.
std::vector<double> Peaks(const std::vector<float>& x, double rate_hz, double threshold,
                          double half_window_s, double from_s = 0.0,
                          double fit_half_window_s = 0.008) {
  const auto window = static_cast<ptrdiff_t>(half_window_s * rate_hz);
  const auto fit = std::max<ptrdiff_t>(1, std::lround(fit_half_window_s * rate_hz));
  const auto n = static_cast<ptrdiff_t>(x.size());
  std::vector<double> peaks;
  for (ptrdiff_t i = std::max<ptrdiff_t>(fit, std::lround(from_s * rate_hz)); i + fit < n; ++i) {
    if (x[i] <= threshold) continue;
    bool largest = true;
    for (ptrdiff_t j = std::max<ptrdiff_t>(0, i - window); j <= std::min(n - 1, i + window); ++j) {
      if (j < i ? x[j] >= x[i] : x[j] > x[i]) {
        largest = false;
        break;
      }
    }
    if (!largest) continue;
    // y = a + b u + c u^2 over u = -fit..fit; the odd and even sums separate.
    double count = 0, sum_y = 0, sum_uy = 0, sum_uu = 0, sum_uuy = 0, sum_u4 = 0;
    for (ptrdiff_t u = -fit; u <= fit; ++u) {
      const double y = x[i + u], uu = static_cast<double>(u * u);
      count += 1;
      sum_y += y;
      sum_uy += static_cast<double>(u) * y;
      sum_uu += uu;
      sum_uuy += uu * y;
      sum_u4 += uu * uu;
    }
    const double b = sum_uy / sum_uu;
    const double c = (sum_uuy - sum_uu * sum_y / count) / (sum_u4 - sum_uu * sum_uu / count);
    const double offset = c < 0.0 ? std::clamp(-b / (2.0 * c), -1.0 * fit, 1.0 * fit) : 0.0;
    peaks.push_back((static_cast<double>(i) + offset) / rate_hz);
  }
  return peaks;
}

std::vector<double> RPeaks(const Recording& r, double from_s = 2.0) {
  return Peaks(r.ecg, 500.0, 0.6, 0.12, from_s);
}

// P waves: local maxima between 0.08 and 0.22 mV (above the noise, below T and
// R waves). A P wave hidden in a QRS or T wave is missed, as by eye.
std::vector<double> PWaves(const Recording& r, double from_s = 2.0) {
  std::vector<double> p_waves;
  for (double t : Peaks(r.ecg, 500.0, 0.08, 0.04, from_s)) {
    if (r.ecg[static_cast<size_t>(std::lround(t * 500.0))] < 0.22) p_waves.push_back(t);
  }
  return p_waves;
}

std::vector<double> Intervals(const std::vector<double>& times) {
  std::vector<double> intervals;
  for (size_t i = 1; i < times.size(); ++i) intervals.push_back(times[i] - times[i - 1]);
  return intervals;
}

double Mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double CoefficientOfVariation(const std::vector<double>& v) {
  const double mean = Mean(v);
  double sum_squares = 0.0;
  for (double x : v) sum_squares += (x - mean) * (x - mean);
  return std::sqrt(sum_squares / static_cast<double>(v.size())) / mean;
}

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// The latest time in `times` before t, or -1.
double LastBefore(const std::vector<double>& times, double t) {
  auto it = std::lower_bound(times.begin(), times.end(), t);
  return it == times.begin() ? -1.0 : *(it - 1);
}

struct RateCase {
  v1::Rhythm rhythm;
  double heart_rate_bpm;
};

class RrIntervalTest : public testing::TestWithParam<RateCase> {};

TEST_P(RrIntervalTest, EveryRrIntervalMatchesTheHeartRateWithinOnePercent) {
  const RateCase c = GetParam();
  const Recording r = Record(Patient(c.rhythm, c.heart_rate_bpm), 30.0);
  const double expected_rr_s = 60.0 / c.heart_rate_bpm;
  const std::vector<double> rr = Intervals(RPeaks(r));
  ASSERT_NEAR(static_cast<double>(rr.size()), 28.0 / expected_rr_s, 2.0);
  for (double interval : rr) EXPECT_NEAR(interval, expected_rr_s, 0.01 * expected_rr_s);
}

INSTANTIATE_TEST_SUITE_P(
    Rates, RrIntervalTest,
    testing::Values(RateCase{v1::RHYTHM_SINUS, 60}, RateCase{v1::RHYTHM_SINUS, 120},
                    RateCase{v1::RHYTHM_SINUS, 180}, RateCase{v1::RHYTHM_SVT, 240},
                    RateCase{v1::RHYTHM_SINUS_BRADYCARDIA, 50},
                    RateCase{v1::RHYTHM_SINUS_TACHYCARDIA, 200},
                    RateCase{v1::RHYTHM_ATRIAL_FLUTTER, 150},
                    RateCase{v1::RHYTHM_VENTRICULAR_TACHYCARDIA, 180},
                    RateCase{v1::RHYTHM_AV_BLOCK_FIRST_DEGREE, 90}, RateCase{v1::RHYTHM_PEA, 70}),
    [](const testing::TestParamInfo<RateCase>& info) {
      return v1::Rhythm_Name(info.param.rhythm) + "_" +
             std::to_string(std::lround(info.param.heart_rate_bpm));
    });

TEST(EcgTest, RateChangeBendsThePhaseWithoutExtraOrMissingBeats) {
  Monitor monitor;
  monitor.Run(Patient(v1::RHYTHM_SINUS, 60), 10.0);
  monitor.Run(Patient(v1::RHYTHM_SINUS, 150), 10.0);
  const std::vector<double> rr = Intervals(RPeaks(monitor.recording()));
  for (double interval : rr) {
    EXPECT_GT(interval, 0.99 * 0.4);
    EXPECT_LT(interval, 1.01 * 1.0);
  }
  const std::vector<float>& ecg = monitor.recording().ecg;
  for (size_t i = 1; i < ecg.size(); ++i) ASSERT_LT(std::fabs(ecg[i] - ecg[i - 1]), 0.3f) << i;
}

TEST(EcgTest, SinusHasAConstantPrIntervalAndFirstDegreeBlockALongOne) {
  for (const auto& [rhythm, min_pr_s, max_pr_s] :
       {std::tuple{v1::RHYTHM_SINUS, 0.10, 0.20}, {v1::RHYTHM_AV_BLOCK_FIRST_DEGREE, 0.20, 0.30}}) {
    const Recording r = Record(Patient(rhythm, 90), 20.0);
    const std::vector<double> p_waves = PWaves(r);
    for (double r_peak : RPeaks(r, 3.0)) {
      // P-wave peak to R peak; P onset to QRS onset is about 10 ms longer.
      const double pr_s = r_peak - LastBefore(p_waves, r_peak) + 0.01;
      EXPECT_GT(pr_s, min_pr_s);
      EXPECT_LT(pr_s, max_pr_s);
    }
  }
}

TEST(EcgTest, VentricularFibrillationHasNoRegularRWaves) {
  const Recording r = Record(Patient(v1::RHYTHM_VENTRICULAR_FIBRILLATION, 0), 30.0);
  const std::vector<double> peaks = Peaks(r.ecg, 500.0, 0.3, 0.06, 2.0);
  ASSERT_GT(peaks.size(), 30u);
  EXPECT_GT(CoefficientOfVariation(Intervals(peaks)), 0.25);
  std::vector<double> heights;
  for (double t : peaks) heights.push_back(r.ecg[static_cast<size_t>(std::lround(t * 500.0))]);
  EXPECT_GT(CoefficientOfVariation(heights), 0.2);
  // Nothing like a QRS: no tall spikes.
  EXPECT_LT(*std::max_element(r.ecg.begin(), r.ecg.end()), 1.6f);
}

TEST(EcgTest, AsystoleIsFlatApartFromBaselineNoise) {
  const Recording r = Record(Patient(v1::RHYTHM_ASYSTOLE, 0), 10.0);
  for (float mv : r.ecg) ASSERT_LT(std::fabs(mv), 0.02f);
}

TEST(EcgTest, TorsadesAmplitudeWaxesWanesAndTwists) {
  const double rr_s = 60.0 / 220.0;
  const Recording r = Record(Patient(v1::RHYTHM_TORSADES, 220), 30.0);
  // One window per beat: its largest deflection, with its sign.
  std::vector<double> extremes;
  const auto window = static_cast<size_t>(rr_s * 500.0);
  for (size_t start = 1000; start + window <= r.ecg.size(); start += window) {
    auto [low, high] = std::minmax_element(r.ecg.begin() + start, r.ecg.begin() + start + window);
    extremes.push_back(std::fabs(*low) > std::fabs(*high) ? *low : *high);
  }
  std::vector<double> magnitudes;
  for (double e : extremes) magnitudes.push_back(std::fabs(e));
  EXPECT_GT(*std::max_element(magnitudes.begin(), magnitudes.end()),
            3.0 * *std::min_element(magnitudes.begin(), magnitudes.end()));
  const auto positive =
      std::count_if(extremes.begin(), extremes.end(), [](double e) { return e > 0; });
  EXPECT_GT(positive, static_cast<long>(extremes.size() / 4));
  EXPECT_LT(positive, static_cast<long>(3 * extremes.size() / 4));
}

// Linear interpolation of x at fractional sample position.
double At(const std::vector<float>& x, double position) {
  const auto i = static_cast<size_t>(position);
  const double fraction = position - static_cast<double>(i);
  return (1.0 - fraction) * x[i] + fraction * x[i + 1];
}

TEST(EcgTest, FlutterShowsSawtoothWavesAtThreeHundredPerMinute) {
  const double heart_rate_bpm = 130;
  const Recording r = Record(Patient(v1::RHYTHM_ATRIAL_FLUTTER, heart_rate_bpm), 30.0);
  // QRST cancellation, as used to study atrial activity: subtract the average
  // R-R cycle aligned on the R peaks. Flutter waves are not locked to the QRS
  // complexes, so they average out of the template and remain.
  const double cycle_samples = 60.0 / heart_rate_bpm * 500.0;
  const double before_samples = 50.0;  // cycles run from R - 0.1 s to the next R - 0.1 s
  std::vector<double> r_peaks = RPeaks(r);
  std::erase_if(r_peaks, [&](double t) { return t * 500.0 + cycle_samples + 2 >= r.ecg.size(); });
  std::vector<double> average(static_cast<size_t>(cycle_samples) + 2, 0.0);
  for (double t : r_peaks) {
    for (size_t k = 0; k < average.size(); ++k) {
      average[k] += At(r.ecg, t * 500.0 - before_samples + static_cast<double>(k));
    }
  }
  for (double& mv : average) mv /= static_cast<double>(r_peaks.size());
  std::vector<float> atrial(r.ecg.size(), 0.0f);  // inverted: troughs become peaks
  for (double t : r_peaks) {
    const double first = t * 500.0 - before_samples;
    for (auto n = static_cast<size_t>(std::ceil(first)); n < first + cycle_samples; ++n) {
      const double k = static_cast<double>(n) - first;
      const auto i = static_cast<size_t>(k);
      const double cancelled =
          average[i] + (k - static_cast<double>(i)) * (average[i + 1] - average[i]);
      atrial[n] = static_cast<float>(cancelled - r.ecg[n]);
    }
  }
  const std::vector<double> troughs = Peaks(atrial, 500.0, 0.05, 0.07, 3.0);
  ASSERT_GT(troughs.size(), 100u);
  // Noise moves a trough along the shallow side of the sawtooth by a few
  // samples; none is missing or extra, and the rate is exact.
  for (double interval : Intervals(troughs)) EXPECT_NEAR(interval, 0.2, 0.02);
  EXPECT_NEAR(Mean(Intervals(troughs)), 0.2, 0.001);
}

TEST(EcgTest, CompleteBlockDissociatesPWavesFromEscapeComplexes) {
  const double heart_rate_bpm = 45;
  const Recording r = Record(Patient(v1::RHYTHM_AV_BLOCK_THIRD_DEGREE, heart_rate_bpm), 60.0);
  const std::vector<double> r_peaks = RPeaks(r);
  for (double rr : Intervals(r_peaks)) EXPECT_NEAR(rr, 60.0 / heart_rate_bpm, 0.006);

  const std::vector<double> p_waves = PWaves(r);
  const double atrial_bpm = 60.0 / Median(Intervals(p_waves));
  EXPECT_GT(atrial_bpm, 1.3 * heart_rate_bpm);
  // P waves march through: the P-to-R time takes all sorts of values.
  std::vector<double> pr;
  for (double r_peak : r_peaks) {
    if (LastBefore(p_waves, r_peak) > 0) pr.push_back(r_peak - LastBefore(p_waves, r_peak));
  }
  EXPECT_GT(*std::max_element(pr.begin(), pr.end()) - *std::min_element(pr.begin(), pr.end()),
            0.25);
}

TEST(EcgTest, WenckebachLengthensPrThenDropsEveryFourthBeat) {
  const double heart_rate_bpm = 60;
  const Recording r = Record(Patient(v1::RHYTHM_AV_BLOCK_SECOND_DEGREE, heart_rate_bpm), 60.0);
  const std::vector<double> r_peaks = RPeaks(r);
  const std::vector<double> p_waves = PWaves(r);
  // Three QRS complexes per four P waves; the average ventricular rate is the
  // heart rate.
  EXPECT_NEAR(static_cast<double>(p_waves.size()) / static_cast<double>(r_peaks.size()), 4.0 / 3.0,
              0.05);
  const std::vector<double> rr = Intervals(r_peaks);
  const double shortest = *std::min_element(rr.begin(), rr.end());
  std::vector<size_t> pauses;
  for (size_t i = 0; i < rr.size(); ++i) {
    if (rr[i] > 1.4 * shortest) pauses.push_back(i);
  }
  ASSERT_GT(pauses.size(), 10u);
  for (size_t i = 1; i < pauses.size(); ++i) {
    EXPECT_EQ(pauses[i] - pauses[i - 1], 3u);
    // The PR interval grows through each group of three conducted beats.
    const size_t first = pauses[i - 1] + 1;
    double previous_pr = 0;
    for (size_t beat = first; beat < first + 3; ++beat) {
      const double pr_s = r_peaks[beat] - LastBefore(p_waves, r_peaks[beat]);
      EXPECT_GT(pr_s, previous_pr + 0.02);
      previous_pr = pr_s;
    }
    const double group_s = r_peaks[first + 3] - r_peaks[first];
    EXPECT_NEAR(group_s, 3 * 60.0 / heart_rate_bpm, 0.01);
  }
}

TEST(EcgTest, CompressionArtifactFollowsTheCompressionRateAndDepth) {
  WaveformInputs inputs = Patient(v1::RHYTHM_ASYSTOLE, 0);
  inputs.pulse_present = false;
  inputs.compressions_active = true;
  inputs.compression_rate_per_min = 110;
  inputs.compression_depth_mm = 50;
  const Recording deep = Record(inputs, 30.0);
  inputs.compression_depth_mm = 25;
  const Recording shallow = Record(inputs, 30.0);
  const std::vector<double> peaks = Peaks(deep.ecg, 500.0, 0.5, 0.2, 2.0, 0.04);
  for (double interval : Intervals(peaks)) EXPECT_NEAR(interval, 60.0 / 110, 0.006);
  const float deep_max = *std::max_element(deep.ecg.begin(), deep.ecg.end());
  const float shallow_max = *std::max_element(shallow.ecg.begin(), shallow.ecg.end());
  EXPECT_GT(deep_max, 1.0f);
  EXPECT_LT(deep_max, 2.0f);
  EXPECT_NEAR(shallow_max / deep_max, 0.5, 0.05);
}

TEST(PlethTest, OnePulsePerQrsAPlausibleDelayAfterTheRWave) {
  for (double heart_rate_bpm : {60.0, 120.0, 180.0}) {
    const Recording r = Record(Patient(v1::RHYTHM_SINUS, heart_rate_bpm), 30.0);
    const std::vector<double> r_peaks = RPeaks(r);
    const float tallest = *std::max_element(r.pleth.begin(), r.pleth.end());
    const std::vector<double> pulses = Peaks(r.pleth, 125.0, 0.8 * tallest, 0.1, 2.0);
    ASSERT_GT(r_peaks.size(), 25u);
    for (size_t i = 0; i + 1 < r_peaks.size(); ++i) {
      const auto following = std::count_if(pulses.begin(), pulses.end(), [&](double t) {
        return t > r_peaks[i] && t <= r_peaks[i + 1];
      });
      const auto delayed = std::count_if(pulses.begin(), pulses.end(), [&](double t) {
        return t > r_peaks[i] + 0.1 && t < r_peaks[i] + 0.4;
      });
      EXPECT_EQ(following, 1) << heart_rate_bpm << " bpm, beat " << i;
      EXPECT_EQ(delayed, 1) << heart_rate_bpm << " bpm, beat " << i;
    }
  }
}

TEST(PlethTest, FlatWithoutPulseAndCompressionPulsesDuringCpr) {
  WaveformInputs inputs = Patient(v1::RHYTHM_PEA, 100);
  inputs.pulse_present = false;
  Monitor monitor;
  monitor.Run(inputs, 10.0);
  const std::vector<float>& pleth = monitor.recording().pleth;
  EXPECT_LT(*std::max_element(pleth.begin(), pleth.end()), 0.01f);

  inputs.compressions_active = true;
  inputs.compression_rate_per_min = 100;
  inputs.compression_depth_mm = 50;
  monitor.Run(inputs, 20.0);
  const std::vector<float>& during_cpr = monitor.recording().pleth;
  const std::vector<double> pulses = Peaks(during_cpr, 125.0, 0.1, 0.2, 12.0);
  EXPECT_NEAR(static_cast<double>(pulses.size()), 18 * 100 / 60.0, 1.0);
  EXPECT_LT(*std::max_element(during_cpr.begin(), during_cpr.end()), 0.4f);
}

TEST(CapnogramTest, PlateauReachesEtco2AndBreathsMatchTheRate) {
  for (const auto& [rate_bpm, etco2_mmhg] : {std::pair{12.0, 30.0}, {20.0, 38.0}, {40.0, 45.0}}) {
    WaveformInputs inputs = Patient(v1::RHYTHM_SINUS, 100);
    inputs.respiratory_rate_bpm = rate_bpm;
    inputs.etco2_mmhg = etco2_mmhg;
    const Recording r = Record(inputs, 60.0);
    // Each breath runs from one expiratory upstroke to the next.
    std::vector<size_t> upstrokes;
    for (size_t i = 1; i < r.capnogram.size(); ++i) {
      if (r.capnogram[i - 1] < etco2_mmhg / 2 && r.capnogram[i] >= etco2_mmhg / 2) {
        upstrokes.push_back(i);
      }
    }
    EXPECT_NEAR(static_cast<double>(upstrokes.size()), rate_bpm, 1.0);
    for (size_t b = 1; b < upstrokes.size(); ++b) {
      const float plateau = *std::max_element(r.capnogram.begin() + upstrokes[b - 1],
                                              r.capnogram.begin() + upstrokes[b]);
      EXPECT_NEAR(plateau, etco2_mmhg, 0.5);
      // Near zero during inspiration.
      EXPECT_LT(*std::min_element(r.capnogram.begin() + upstrokes[b - 1],
                                  r.capnogram.begin() + upstrokes[b]),
                0.5f);
    }
    EXPECT_NEAR(static_cast<double>(Peaks(r.respiration, 62.5, 0.9, 0.5).size()), rate_bpm, 1.0);
  }
}

TEST(CapnogramTest, ApnoeaIsFlat) {
  WaveformInputs inputs = Patient(v1::RHYTHM_SINUS, 100);
  inputs.respiratory_rate_bpm = 0;
  const Recording r = Record(inputs, 10.0);
  for (float mmhg : r.capnogram) ASSERT_EQ(mmhg, 0.0f);
  for (float level : r.respiration) ASSERT_EQ(level, 0.0f);
}

TEST(CapnogramTest, ApnoeaLetsTheBreathInProgressFinishThenStaysFlat) {
  Monitor monitor;
  WaveformInputs inputs = Patient(v1::RHYTHM_SINUS, 100);
  inputs.respiratory_rate_bpm = 20;
  monitor.Run(inputs, 10.5);  // mid-breath: breaths start every 3 s
  inputs.respiratory_rate_bpm = 0;
  monitor.Run(inputs, 10.0);
  const Recording& r = monitor.recording();
  const auto apnoea_start = static_cast<size_t>(10.5 * 62.5);
  EXPECT_GT(r.respiration[apnoea_start], 0.0f);
  for (size_t i = apnoea_start; i < r.capnogram.size(); ++i) {
    ASSERT_LT(std::fabs(r.respiration[i] - r.respiration[i - 1]), 0.1f) << i;
    if (i >= apnoea_start + static_cast<size_t>(3.0 * 62.5)) {
      ASSERT_EQ(r.respiration[i], 0.0f) << i;
      ASSERT_EQ(r.capnogram[i], 0.0f) << i;
    }
  }
}

TEST(CapnogramTest, RateChangeKeepsBreathsWhole) {
  Monitor monitor;
  WaveformInputs inputs = Patient(v1::RHYTHM_SINUS, 100);
  inputs.respiratory_rate_bpm = 20;
  monitor.Run(inputs, 20.0);
  inputs.respiratory_rate_bpm = 40;
  monitor.Run(inputs, 20.0);
  const std::vector<double> breaths = Peaks(monitor.recording().respiration, 62.5, 0.9, 0.5);
  for (double interval : Intervals(breaths)) {
    EXPECT_GT(interval, 1.5 - 0.02);
    EXPECT_LT(interval, 3.0 + 0.02);
  }
}

TEST(GeneratorTest, SameSeedSameSamplesDifferentSeedDifferentNoise) {
  WaveformInputs sequence[] = {Patient(v1::RHYTHM_SINUS, 130),
                               Patient(v1::RHYTHM_VENTRICULAR_FIBRILLATION, 0),
                               Patient(v1::RHYTHM_TORSADES, 230)};
  sequence[1].compressions_active = true;
  sequence[1].compression_rate_per_min = 110;
  sequence[1].compression_depth_mm = 45;
  Monitor a(42), b(42), c(43);
  for (const WaveformInputs& inputs : sequence) {
    a.Run(inputs, 8.0);
    b.Run(inputs, 8.0);
    c.Run(inputs, 8.0);
  }
  EXPECT_EQ(a.recording().ecg, b.recording().ecg);
  EXPECT_EQ(a.recording().pleth, b.recording().pleth);
  EXPECT_EQ(a.recording().capnogram, b.recording().capnogram);
  EXPECT_EQ(a.recording().respiration, b.recording().respiration);
  EXPECT_NE(a.recording().ecg, c.recording().ecg);
}

TEST(GeneratorTest, ChunksAreContiguousWithIntegerSampleCounts) {
  WaveformGenerator generator(1);
  std::vector<v1::WaveformChunk> chunks;
  double start_s = 0.0;  // added up like a naive caller would
  for (int step = 0; step < 100; ++step, start_s += kStepS) {
    generator.Generate(Patient(v1::RHYTHM_SINUS, 120), start_s, kStepS, &chunks);
  }
  ASSERT_EQ(chunks.size(), 400u);
  const struct {
    v1::WaveformKind kind;
    double rate_hz;
    int total;
  } kinds[] = {{v1::WAVEFORM_KIND_ECG_II, 500.0, 5000},
               {v1::WAVEFORM_KIND_PLETH, 125.0, 1250},
               {v1::WAVEFORM_KIND_CAPNOGRAM, 62.5, 625},
               {v1::WAVEFORM_KIND_RESPIRATION, 62.5, 625}};
  for (size_t k = 0; k < 4; ++k) {
    int64_t next_index = 0;
    for (size_t step = 0; step < 100; ++step) {
      const v1::WaveformChunk& chunk = chunks[4 * step + k];
      ASSERT_EQ(chunk.kind(), kinds[k].kind);
      ASSERT_EQ(chunk.sample_rate_hz(), kinds[k].rate_hz);
      // The chunk starts exactly at the sample after the previous chunk's last.
      ASSERT_EQ(chunk.start_sim_time_s(), static_cast<double>(next_index) / kinds[k].rate_hz);
      // Sample n belongs to the step containing n / rate.
      const auto expected_end =
          static_cast<int64_t>(std::ceil((step + 1) * 0.1 * kinds[k].rate_hz - 1e-9));
      ASSERT_EQ(next_index + chunk.samples_size(), expected_end) << "step " << step;
      next_index += chunk.samples_size();
    }
    EXPECT_EQ(next_index, kinds[k].total);
  }
  EXPECT_EQ(chunks[2].samples_size(), 7);  // capnogram: samples 0..6 fall in [0, 0.1)
  EXPECT_EQ(chunks[6].samples_size(), 6);  // 7..12 in [0.1, 0.2)
}

TEST(GeneratorTest, SamplesDoNotDependOnTheStepSize) {
  WaveformGenerator coarse(5), fine(5);
  std::vector<v1::WaveformChunk> coarse_chunks, fine_chunks;
  WaveformInputs inputs = Patient(v1::RHYTHM_AV_BLOCK_THIRD_DEGREE, 50);
  for (int step = 0; step < 50; ++step) coarse.Generate(inputs, step * 0.1, 0.1, &coarse_chunks);
  for (int step = 0; step < 125; ++step) fine.Generate(inputs, step * 0.04, 0.04, &fine_chunks);
  std::vector<float> coarse_ecg, fine_ecg;
  for (const auto& chunk : coarse_chunks) {
    if (chunk.kind() == v1::WAVEFORM_KIND_ECG_II)
      coarse_ecg.insert(coarse_ecg.end(), chunk.samples().begin(), chunk.samples().end());
  }
  for (const auto& chunk : fine_chunks) {
    if (chunk.kind() == v1::WAVEFORM_KIND_ECG_II)
      fine_ecg.insert(fine_ecg.end(), chunk.samples().begin(), chunk.samples().end());
  }
  ASSERT_EQ(coarse_ecg.size(), fine_ecg.size());
  for (size_t i = 0; i < coarse_ecg.size(); ++i) ASSERT_NEAR(coarse_ecg[i], fine_ecg[i], 1e-4) << i;
}

// Timing, not a check: one hour of a session (all four waveforms, 0.1 s
// steps) with CPR throughout and the rhythm alternating between sinus and VF
// every 2.5 minutes, printed for the record.
TEST(GeneratorTest, OneHourTiming) {
  WaveformGenerator generator(3);
  WaveformInputs inputs = Patient(v1::RHYTHM_VENTRICULAR_FIBRILLATION, 0);
  inputs.compressions_active = true;
  inputs.compression_rate_per_min = 110;
  inputs.compression_depth_mm = 50;
  std::vector<v1::WaveformChunk> chunks;
  size_t samples = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int step = 0; step < 36000; ++step) {
    chunks.clear();
    inputs.rhythm = step % 3000 < 1500 ? v1::RHYTHM_SINUS : v1::RHYTHM_VENTRICULAR_FIBRILLATION;
    inputs.heart_rate_bpm = 140;
    generator.Generate(inputs, step * kStepS, kStepS, &chunks);
    for (const auto& chunk : chunks) samples += static_cast<size_t>(chunk.samples_size());
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  std::printf("one simulated hour: %zu samples in %.3f s\n", samples, elapsed.count());
  EXPECT_EQ(samples, 3600u * 750);  // 500 + 125 + 62.5 + 62.5 samples/s
}

}  // namespace
}  // namespace pedisim::waveforms

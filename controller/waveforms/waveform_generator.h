#pragma once

// Deterministic monitor waveforms for a simulated patient: ECG lead II, SpO2
// pleth, capnogram and respiration, generated step by step from the engine's
// vitals. See docs/waveforms.md for the models.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "controller/waveforms/cycle_clock.h"
#include "controller/waveforms/ecg.h"
#include "controller/waveforms/pleth.h"
#include "pedisim/v1/vitals.pb.h"
#include "pedisim/v1/waveform.pb.h"

namespace pedisim::waveforms {

struct WaveformInputs {
  v1::Rhythm rhythm = v1::RHYTHM_UNSPECIFIED;  // RHYTHM_UNSPECIFIED = sinus
  double heart_rate_bpm = 0;                   // ventricular rate for organized rhythms
  bool pulse_present = true;        // false in VF, pulseless VT, asystole, PEA: pleth is flat
  double spo2_pct = 98;             // pleth amplitude scales mildly with it; ignored without pulse
  double respiratory_rate_bpm = 0;  // 0 = apnoea: flat capnogram and respiration
  double etco2_mmhg = 0;            // plateau height of the capnogram
  // CPR: compression artifact on ECG, small pleth/capno pulses at the compression rate.
  bool compressions_active = false;
  double compression_rate_per_min = 0;
  double compression_depth_mm = 0;  // scales the artifact

  bool operator==(const WaveformInputs&) const = default;
};

class WaveformGenerator {
 public:
  static constexpr double kEcgSampleRateHz = EcgSynthesizer::kSampleRateHz;
  static constexpr double kPlethSampleRateHz = PlethSynthesizer::kSampleRateHz;
  static constexpr double kCapnogramSampleRateHz = 62.5;
  static constexpr double kRespirationSampleRateHz = 62.5;

  // Equal seeds and equal call sequences give bit-identical samples.
  explicit WaveformGenerator(uint64_t seed);

  // Samples for simulated time [start_s, start_s + duration_s), appended as
  // one chunk per kind, in the order ECG II, pleth, capnogram, respiration
  // (ECG II 500 Hz mV, PLETH 125 Hz 0..1, CAPNOGRAM 62.5 Hz mmHg, RESPIRATION
  // 62.5 Hz 0..1). Consecutive calls continue each waveform without gaps or
  // phase jumps, also when the rate changes between calls. Sample n of a kind
  // is taken at exactly n / rate and belongs to the call whose interval
  // contains that time, so a 0.1 s step carries 50 ECG samples and 6 or 7
  // capnogram samples.
  void Generate(const WaveformInputs& inputs, double start_s, double duration_s,
                std::vector<v1::WaveformChunk>* chunks);

  // The generator's state after the last call, and the same restored: a
  // generator restored from another's state continues exactly as that one
  // would. Load throws std::runtime_error on bytes it cannot have written.
  std::string SaveState() const;
  void LoadState(std::string_view state);

 private:
  template <class Archive>
  void VisitState(Archive& archive);

  EcgSynthesizer ecg_;
  PlethSynthesizer pleth_;
  CycleClock breath_clock_;
  CycleClock compression_clock_;
  // Depth of the last compressions, which the compression in progress keeps
  // when CPR stops.
  double compression_depth_mm_ = 0;
  std::vector<VentricularBeat> beats_;
};

}  // namespace pedisim::waveforms

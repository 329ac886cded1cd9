#pragma once

// The waveform generator's inputs as a record stores them, and back.

#include "controller/waveforms/waveform_generator.h"
#include "pedisim/v1/recording.pb.h"

namespace pedisim::recording {

inline v1::WaveformInputs ToProto(const waveforms::WaveformInputs& inputs) {
  v1::WaveformInputs out;
  out.set_rhythm(inputs.rhythm);
  out.set_heart_rate_bpm(inputs.heart_rate_bpm);
  out.set_pulse_present(inputs.pulse_present);
  out.set_spo2_pct(inputs.spo2_pct);
  out.set_respiratory_rate_bpm(inputs.respiratory_rate_bpm);
  out.set_etco2_mmhg(inputs.etco2_mmhg);
  out.set_compressions_active(inputs.compressions_active);
  out.set_compression_rate_per_min(inputs.compression_rate_per_min);
  out.set_compression_depth_mm(inputs.compression_depth_mm);
  return out;
}

inline waveforms::WaveformInputs FromProto(const v1::WaveformInputs& inputs) {
  waveforms::WaveformInputs out;
  out.rhythm = inputs.rhythm();
  out.heart_rate_bpm = inputs.heart_rate_bpm();
  out.pulse_present = inputs.pulse_present();
  out.spo2_pct = inputs.spo2_pct();
  out.respiratory_rate_bpm = inputs.respiratory_rate_bpm();
  out.etco2_mmhg = inputs.etco2_mmhg();
  out.compressions_active = inputs.compressions_active();
  out.compression_rate_per_min = inputs.compression_rate_per_min();
  out.compression_depth_mm = inputs.compression_depth_mm();
  return out;
}

}  // namespace pedisim::recording

// A waveform generator restored from a saved state continues exactly as the
// original would: what recording keyframes rely on to regenerate waveforms
// from the middle of a session.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "controller/waveforms/waveform_generator.h"

namespace pedisim::waveforms {
namespace {

constexpr double kStepS = 0.1;

WaveformInputs InputsAt(int step) {
  WaveformInputs inputs;
  // Through sinus, VF with compressions and back, so that every part of the
  // state (clocks, fibrillation, waves in progress, pulses) is in play.
  const int phase = (step / 60) % 3;
  inputs.rhythm = phase == 1 ? v1::RHYTHM_VENTRICULAR_FIBRILLATION : v1::RHYTHM_SINUS;
  inputs.heart_rate_bpm = 120 + step % 17;
  inputs.pulse_present = phase != 1;
  inputs.spo2_pct = 92;
  inputs.respiratory_rate_bpm = phase == 1 ? 10 : 30;
  inputs.etco2_mmhg = 35;
  inputs.compressions_active = phase == 1;
  inputs.compression_rate_per_min = phase == 1 ? 110 : 0;
  inputs.compression_depth_mm = phase == 1 ? 40 : 0;
  return inputs;
}

std::string Samples(WaveformGenerator& generator, int first_step, int steps) {
  std::string all;
  std::vector<v1::WaveformChunk> chunks;
  for (int step = first_step; step < first_step + steps; ++step) {
    chunks.clear();
    generator.Generate(InputsAt(step), step * kStepS, (step + 1) * kStepS - step * kStepS, &chunks);
    for (const v1::WaveformChunk& chunk : chunks) all += chunk.SerializeAsString();
  }
  return all;
}

TEST(WaveformStateTest, RestoredGeneratorContinuesBitForBit) {
  for (int split : {1, 37, 65, 130, 179}) {
    WaveformGenerator original(11);
    (void)Samples(original, 0, split);
    WaveformGenerator restored(11);
    restored.LoadState(original.SaveState());
    EXPECT_EQ(Samples(restored, split, 200), Samples(original, split, 200)) << "split " << split;
  }
}

TEST(WaveformStateTest, ForeignBytesAreRefused) {
  WaveformGenerator generator(3);
  const std::string state = generator.SaveState();
  for (size_t length = 0; length < state.size(); ++length) {
    EXPECT_THROW(generator.LoadState(state.substr(0, length)), std::runtime_error) << length;
  }
  EXPECT_THROW(generator.LoadState(state + "x"), std::runtime_error);
  EXPECT_THROW(generator.LoadState("garbage"), std::runtime_error);
}

}  // namespace
}  // namespace pedisim::waveforms

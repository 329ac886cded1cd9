#pragma once

// Spoken prompts (the AED's "Analyzing rhythm. Do not touch the patient"):
// espeak-ng from Debian speaks each into a WAV on its standard output, on a
// thread of its own, and the clip plays through the device's ToneSynth (so
// it goes where the alarms go: the room's speaker, or SDL's disk driver in
// the tests). Without espeak-ng the prompts are on screen only, and the
// device says why once.

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "monitor/audio/tone_synth.h"

namespace pedisim::monitor {

class PromptSpeaker {
 public:
  PromptSpeaker(ToneSynth& synth, int sample_rate_hz);
  ~PromptSpeaker();
  PromptSpeaker(const PromptSpeaker&) = delete;
  PromptSpeaker& operator=(const PromptSpeaker&) = delete;

  // Speaks `text` as soon as the one being prepared is done; a newer prompt
  // replaces one still waiting.
  void Say(const std::string& text);

 private:
  void Run();
  // espeak-ng's samples for `text` at sample_rate_hz_, or none.
  std::optional<std::vector<float>> Speak(const std::string& text);

  ToneSynth& synth_;
  const int sample_rate_hz_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::optional<std::string> waiting_;
  bool stopping_ = false;
  bool warned_ = false;
  std::thread thread_;
};

// Decodes a 16-bit PCM WAV (as espeak-ng writes it, whose data size may be
// a placeholder: the data runs to the end) and resamples it linearly to
// `rate_hz`. None when it is no such WAV.
std::optional<std::vector<float>> DecodeWav(const std::string& bytes, int rate_hz);

}  // namespace pedisim::monitor

#pragma once

// Plays a ToneSynth through SDL2 audio: 48 kHz, mono, signed 16-bit, the
// format fixed so that what SDL's `disk` driver writes
// (SDL_AUDIODRIVER=disk, SDL_DISKAUDIOFILE=out.raw) can be analysed as is.
// Without an audio device the monitor runs silent and says why.

#include <SDL.h>

#include <string>

#include "monitor/audio/tone_synth.h"

namespace pedisim::monitor {

class AudioOutput {
 public:
  static constexpr int kSampleRateHz = 48000;

  explicit AudioOutput(ToneSynth& synth);
  ~AudioOutput();
  AudioOutput(const AudioOutput&) = delete;
  AudioOutput& operator=(const AudioOutput&) = delete;

  bool ok() const { return device_ != 0; }
  // Why there is no sound, when !ok().
  const std::string& error() const { return error_; }
  // SDL's name for the driver playing ("pulseaudio", "disk").
  std::string driver() const;

 private:
  static void Fill(void* self, Uint8* stream, int bytes);

  ToneSynth& synth_;
  SDL_AudioDeviceID device_ = 0;
  std::string error_;
};

}  // namespace pedisim::monitor

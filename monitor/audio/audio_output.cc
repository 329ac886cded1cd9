#include "monitor/audio/audio_output.h"

namespace pedisim::monitor {

AudioOutput::AudioOutput(ToneSynth& synth) : synth_(synth) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    error_ = std::string("cannot start SDL audio: ") + SDL_GetError();
    return;
  }
  SDL_AudioSpec want{};
  want.freq = kSampleRateHz;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  // About 21 ms a buffer: a beep starts within a frame or two of its pulse.
  want.samples = 1024;
  want.callback = &AudioOutput::Fill;
  want.userdata = this;
  SDL_AudioSpec have{};
  // No changes allowed: SDL converts if the device wants another format.
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (device_ == 0) {
    error_ = std::string("cannot open an audio device: ") + SDL_GetError();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    return;
  }
  SDL_PauseAudioDevice(device_, 0);
}

AudioOutput::~AudioOutput() {
  if (device_ == 0) return;
  SDL_CloseAudioDevice(device_);
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

std::string AudioOutput::driver() const {
  const char* name = SDL_GetCurrentAudioDriver();
  return name ? name : "";
}

void AudioOutput::Fill(void* self, Uint8* stream, int bytes) {
  auto* output = static_cast<AudioOutput*>(self);
  output->synth_.Render(reinterpret_cast<int16_t*>(stream),
                        bytes / static_cast<int>(sizeof(int16_t)));
}

}  // namespace pedisim::monitor

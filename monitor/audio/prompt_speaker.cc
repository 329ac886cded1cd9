#include "monitor/audio/prompt_speaker.h"

#include <cstdio>
#include <cstring>
#include <iostream>

namespace pedisim::monitor {

namespace {
uint32_t Little32(const char* p) {
  return static_cast<uint32_t>(static_cast<uint8_t>(p[0])) |
         static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(p[3])) << 24;
}
uint16_t Little16(const char* p) {
  return static_cast<uint16_t>(static_cast<uint8_t>(p[0]) | static_cast<uint8_t>(p[1]) << 8);
}
}  // namespace

std::optional<std::vector<float>> DecodeWav(const std::string& bytes, int rate_hz) {
  if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0) {
    return std::nullopt;
  }
  uint32_t source_rate = 0;
  uint16_t channels = 0;
  uint16_t bits = 0;
  size_t at = 12;
  while (at + 8 <= bytes.size()) {
    const std::string id = bytes.substr(at, 4);
    const uint32_t size = Little32(bytes.data() + at + 4);
    const size_t body = at + 8;
    if (id == "fmt " && body + 16 <= bytes.size()) {
      channels = Little16(bytes.data() + body + 2);
      source_rate = Little32(bytes.data() + body + 4);
      bits = Little16(bytes.data() + body + 14);
    } else if (id == "data") {
      if (bits != 16 || channels == 0 || source_rate == 0) return std::nullopt;
      // A streamed WAV's size is a placeholder: the data runs to the end.
      const size_t end = std::min(bytes.size(), body + static_cast<size_t>(size));
      const size_t frames = (end - body) / (2u * channels);
      std::vector<float> source(frames);
      for (size_t i = 0; i < frames; ++i) {
        source[i] =
            static_cast<int16_t>(Little16(bytes.data() + body + i * 2u * channels)) / 32768.0f;
      }
      const double step = static_cast<double>(source_rate) / rate_hz;
      std::vector<float> out(static_cast<size_t>(static_cast<double>(frames) / step));
      for (size_t i = 0; i < out.size(); ++i) {
        const double position = static_cast<double>(i) * step;
        const auto left = static_cast<size_t>(position);
        const size_t right = std::min(left + 1, frames - 1);
        const auto fraction = static_cast<float>(position - static_cast<double>(left));
        out[i] = source[left] * (1 - fraction) + source[right] * fraction;
      }
      return out;
    }
    at = body + size + (size & 1u);
  }
  return std::nullopt;
}

PromptSpeaker::PromptSpeaker(ToneSynth& synth, int sample_rate_hz)
    : synth_(synth), sample_rate_hz_(sample_rate_hz), thread_([this] { Run(); }) {}

PromptSpeaker::~PromptSpeaker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PromptSpeaker::Say(const std::string& text) {
  {
    std::lock_guard lock(mu_);
    waiting_ = text;
  }
  wake_.notify_all();
}

void PromptSpeaker::Run() {
  while (true) {
    std::string text;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || waiting_.has_value(); });
      if (stopping_) return;
      text = std::move(*waiting_);
      waiting_.reset();
    }
    if (std::optional<std::vector<float>> clip = Speak(text)) synth_.PlayClip(std::move(*clip));
  }
}

std::optional<std::vector<float>> PromptSpeaker::Speak(const std::string& text) {
  // The prompts are the device's own sentences; quotes are dropped anyway
  // so that the shell sees one argument.
  std::string quoted;
  for (char c : text) {
    if (c != '\'' && c != '\\') quoted += c;
  }
  FILE* pipe = popen(("espeak-ng --stdout -s 150 '" + quoted + "' 2>/dev/null").c_str(), "r");
  std::string bytes;
  if (pipe != nullptr) {
    char buffer[8192];
    size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) bytes.append(buffer, read);
    pclose(pipe);
  }
  std::optional<std::vector<float>> clip = DecodeWav(bytes, sample_rate_hz_);
  if (!clip && !warned_) {
    warned_ = true;
    std::cerr << "pedisim-monitor: prompts are not spoken: espeak-ng did not speak (is the "
                 "espeak-ng package installed?)\n";
  }
  return clip;
}

}  // namespace pedisim::monitor

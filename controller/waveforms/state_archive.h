#pragma once

// Saving and restoring the waveform generator's state, so that a recording
// can regenerate its waveforms from any keyframe instead of from the start.
// The bytes are this build's memory layout: a record stores its engine
// version, and only the same engine regenerates its waveforms.

#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pedisim::waveforms {

class StateWriter {
 public:
  template <class T>
  void Field(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <class T>
  void Field(const std::vector<T>& values) {
    Field(static_cast<uint64_t>(values.size()));
    for (const T& value : values) Field(value);
  }
  std::string Take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : bytes_(bytes) {}

  template <class T>
  void Field(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    Need(sizeof(T));
    std::memcpy(&value, bytes_.data(), sizeof(T));
    bytes_.remove_prefix(sizeof(T));
  }
  template <class T>
  void Field(std::vector<T>& values) {
    uint64_t size = 0;
    Field(size);
    Need(size * sizeof(T));  // before allocating: the count may be garbage
    values.resize(size);
    for (T& value : values) Field(value);
  }
  // Throws unless every byte was read: a state from another layout.
  void ExpectEnd() const {
    if (!bytes_.empty()) throw std::runtime_error("waveform state: trailing bytes");
  }

 private:
  void Need(uint64_t size) const {
    if (size > bytes_.size()) throw std::runtime_error("waveform state: truncated");
  }
  std::string_view bytes_;
};

}  // namespace pedisim::waveforms

#include "core/record_file/record_frames.h"

#include <zlib.h>

namespace pedisim::recording {

namespace {
void AppendU32(uint32_t value, std::string* out) {
  for (int shift = 0; shift < 32; shift += 8) out->push_back(static_cast<char>(value >> shift));
}
uint32_t ReadU32(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}
}  // namespace

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; frames are far below 4 GiB, but stay correct.
  while (!bytes.empty()) {
    const size_t part = std::min<size_t>(bytes.size(), 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(part));
    bytes.remove_prefix(part);
  }
  return static_cast<uint32_t>(crc);
}

void AppendFrame(std::string_view payload, std::string* out) {
  AppendU32(static_cast<uint32_t>(payload.size()), out);
  AppendU32(Crc32(payload), out);
  out->append(payload);
}

DecodedFrame DecodeFrame(std::string_view bytes) {
  DecodedFrame frame;
  if (bytes.size() < kFrameHeaderBytes) return frame;
  const uint32_t length = ReadU32(bytes);
  if (length > kMaxFramePayloadBytes) {
    frame.result = FrameResult::kCorrupt;
    return frame;
  }
  const size_t size = kFrameHeaderBytes + length;
  if (bytes.size() < size) {
    frame.wanted = size;
    return frame;
  }
  frame.payload = bytes.substr(kFrameHeaderBytes, length);
  if (Crc32(frame.payload) != ReadU32(bytes.substr(4))) {
    frame.result = FrameResult::kCorrupt;
    frame.payload = {};
    return frame;
  }
  frame.result = FrameResult::kFrame;
  frame.size = size;
  return frame;
}

}  // namespace pedisim::recording

#pragma once

// The framing of record files (see proto/pedisim/v1/recording.proto): a magic
// line, then frames of
//   u32 LE payload length | u32 LE CRC-32 of the payload | payload.
// Kept apart from files so the decoder can be tested and fuzzed on bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pedisim::recording {

inline constexpr std::string_view kRecordMagic = "PEDISIM-RECORD 1\n";
inline constexpr std::string_view kIndexMagic = "PEDISIM-INDEX 1\n";
inline constexpr size_t kFrameHeaderBytes = 8;
// No entry comes near this (a keyframe is a few kilobytes); a larger length
// is corruption, not data.
inline constexpr uint32_t kMaxFramePayloadBytes = 16u << 20;

uint32_t Crc32(std::string_view bytes);

// Appends one frame carrying `payload` to `out`.
void AppendFrame(std::string_view payload, std::string* out);

enum class FrameResult {
  kFrame,     // a whole frame with a good checksum
  kNeedMore,  // the bytes end inside a frame (a torn tail, or read more)
  kCorrupt,   // bad length or checksum: nothing after it can be trusted
};

struct DecodedFrame {
  FrameResult result = FrameResult::kNeedMore;
  std::string_view payload;
  // Bytes the frame takes, header included (set for kFrame).
  size_t size = 0;
  // For kNeedMore: the frame's whole size, when its header was complete.
  std::optional<size_t> wanted;
};

// Decodes the frame at the start of `bytes`.
DecodedFrame DecodeFrame(std::string_view bytes);

}  // namespace pedisim::recording

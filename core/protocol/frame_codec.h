#pragma once

#include <google/protobuf/message_lite.h>

#include <array>
#include <cstdint>
#include <string>

namespace pedisim::protocol {

// The TCP transport's framing: a 4-byte big-endian length, then that many
// bytes of one serialized DeviceMessage (device to controller) or
// ControllerMessage (controller to device).
inline constexpr size_t kFrameHeaderBytes = 4;
// Larger frames are refused: the biggest real message, a snapshot, is a few
// kilobytes, and a length read from garbage must not make us allocate gigabytes.
inline constexpr uint32_t kMaxFrameBytes = 1 << 20;

// Appends `message` framed to `out`.
void AppendFrame(const google::protobuf::MessageLite& message, std::string* out);

uint32_t DecodeFrameLength(const std::array<uint8_t, kFrameHeaderBytes>& header);

}  // namespace pedisim::protocol

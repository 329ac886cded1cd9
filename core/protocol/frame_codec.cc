#include "core/protocol/frame_codec.h"

namespace pedisim::protocol {

void AppendFrame(const google::protobuf::MessageLite& message, std::string* out) {
  const size_t size = message.ByteSizeLong();
  out->push_back(static_cast<char>((size >> 24) & 0xff));
  out->push_back(static_cast<char>((size >> 16) & 0xff));
  out->push_back(static_cast<char>((size >> 8) & 0xff));
  out->push_back(static_cast<char>(size & 0xff));
  message.AppendToString(out);
}

uint32_t DecodeFrameLength(const std::array<uint8_t, kFrameHeaderBytes>& header) {
  return (static_cast<uint32_t>(header[0]) << 24) | (static_cast<uint32_t>(header[1]) << 16) |
         (static_cast<uint32_t>(header[2]) << 8) | static_cast<uint32_t>(header[3]);
}

}  // namespace pedisim::protocol

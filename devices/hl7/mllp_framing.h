#pragma once

// MLLP, HL7's Minimal Lower Layer Protocol: each message travels as a start
// block (0x0B), the message, and an end block (0x1C 0x0D). Kept apart from
// the socket code so that the framing can be tested and fuzzed on bytes.

#include <cstddef>
#include <string>
#include <string_view>

namespace pedisim::devices::hl7 {

inline constexpr char kMllpStartBlock = '\x0b';
inline constexpr std::string_view kMllpEndBlock = "\x1c\x0d";
// An ACK is a few hundred bytes; a peer that sends a megabyte without an end
// block is not speaking MLLP, and memory must stay bounded.
inline constexpr size_t kMaxMllpFrameBytes = 1 << 20;

// `message` with its start and end blocks.
std::string MllpFrame(std::string_view message);

// Splits the bytes received on an MLLP connection into messages.
class MllpDeframer {
 public:
  enum class Result {
    kMessage,   // a whole message
    kNeedMore,  // no end block yet: append more bytes
    kOverflow,  // kMaxMllpFrameBytes without an end block: the stream is not MLLP
  };

  // Adds bytes as they arrive, in pieces of any size.
  void Append(std::string_view bytes);

  // The next message: what lies between a frame's start block and its end
  // block. Bytes before the start block (noise after the previous frame)
  // are dropped; a frame without a start block is taken whole, as lenient
  // receivers do. Once kOverflow, always kOverflow.
  Result Next(std::string* message);

  // Bytes received and not yet returned in a message.
  size_t buffered_bytes() const { return buffer_.size(); }

 private:
  std::string buffer_;
  // The end block is searched for from here: what lies before holds none.
  size_t searched_ = 0;
  bool overflowed_ = false;
};

}  // namespace pedisim::devices::hl7

// HL7 over MLLP as MllpClient reads a receiver's answers: bytes split into
// messages (devices/hl7/mllp_framing.h), each read as an ACK
// (devices/hl7/hl7_ack.h). The first byte sets the size of the pieces the
// rest arrives in; any split must give the same messages as none, and a
// message framed again must come back unchanged.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devices/hl7/hl7_ack.h"
#include "devices/hl7/mllp_framing.h"
#include "tests/fuzz/fuzz_check.h"

namespace pedisim::fuzz {
namespace {

using devices::hl7::MllpDeframer;

struct Deframed {
  std::vector<std::string> messages;
  bool overflowed = false;
};

Deframed Deframe(std::string_view bytes, size_t piece) {
  Deframed out;
  MllpDeframer deframer;
  for (size_t at = 0; at < bytes.size() && !out.overflowed; at += piece) {
    deframer.Append(bytes.substr(at, piece));
    std::string message;
    while (true) {
      const MllpDeframer::Result result = deframer.Next(&message);
      if (result == MllpDeframer::Result::kNeedMore) break;
      if (result == MllpDeframer::Result::kOverflow) {
        out.overflowed = true;
        break;
      }
      out.messages.push_back(message);
    }
  }
  // Memory stays bounded whatever the peer sends.
  FUZZ_CHECK(deframer.buffered_bytes() <= devices::hl7::kMaxMllpFrameBytes + piece);
  return out;
}

void CheckAck(std::string_view message) {
  const std::optional<devices::hl7::Ack> ack = devices::hl7::ParseAck(message);
  if (!ack) return;
  FUZZ_CHECK(message.starts_with("MSH") && message.find("MSA") != std::string_view::npos);
  // Fields end at the field separator and segments at a line break.
  const char field_separator = message[3];
  for (const std::string* field : {&ack->code, &ack->control_id, &ack->text}) {
    FUZZ_CHECK(field->find(field_separator) == std::string::npos);
    FUZZ_CHECK(field->find_first_of("\r\n") == std::string::npos);
  }
}

void CheckFramesBack(const std::string& message) {
  // A message holding a start block loses what precedes it: not framable.
  if (message.find(devices::hl7::kMllpStartBlock) != std::string::npos) return;
  const Deframed again = Deframe(devices::hl7::MllpFrame(message), 4096);
  FUZZ_CHECK(!again.overflowed && again.messages.size() == 1 && again.messages[0] == message);
}

}  // namespace
}  // namespace pedisim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pedisim::fuzz;
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Deframed whole = Deframe(bytes, bytes.empty() ? 1 : bytes.size());
  const Deframed pieces = Deframe(bytes, piece);
  FUZZ_CHECK(pieces.overflowed == whole.overflowed);
  FUZZ_CHECK(pieces.messages == whole.messages);
  for (const std::string& message : whole.messages) {
    FUZZ_CHECK(message.find(pedisim::devices::hl7::kMllpEndBlock) == std::string::npos);
    CheckFramesBack(message);
    CheckAck(message);
  }
  return 0;
}

// MLLP framing on bytes: frames split across reads, several in one read,
// noise between frames, and a peer that never sends an end block.

#include "devices/hl7/mllp_framing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pedisim::devices::hl7 {
namespace {

// Every message the deframer gives for `bytes` fed `piece` bytes at a time.
std::vector<std::string> Messages(std::string_view bytes, size_t piece) {
  MllpDeframer deframer;
  std::vector<std::string> messages;
  for (size_t at = 0; at < bytes.size(); at += piece) {
    deframer.Append(bytes.substr(at, piece));
    std::string message;
    while (deframer.Next(&message) == MllpDeframer::Result::kMessage) messages.push_back(message);
  }
  return messages;
}

TEST(MllpFraming, FrameWrapsTheMessageInStartAndEndBlocks) {
  EXPECT_EQ(MllpFrame("MSH|^~\\&|A\r"), "\x0bMSH|^~\\&|A\r\x1c\x0d");
}

TEST(MllpFraming, EveryPieceSizeGivesTheSameMessages) {
  const std::string bytes = MllpFrame("MSH|one\r") + MllpFrame("MSH|two\r") + MllpFrame("");
  for (size_t piece = 1; piece <= bytes.size(); ++piece) {
    EXPECT_EQ(Messages(bytes, piece), (std::vector<std::string>{"MSH|one\r", "MSH|two\r", ""}))
        << "piece size " << piece;
  }
}

TEST(MllpFraming, NoiseBeforeTheStartBlockIsDropped) {
  EXPECT_EQ(Messages("\r\njunk" + MllpFrame("MSH|ack\r"), 1000),
            std::vector<std::string>{"MSH|ack\r"});
}

TEST(MllpFraming, AFrameWithoutStartBlockIsTakenWhole) {
  EXPECT_EQ(Messages("MSH|ack\r\x1c\x0d", 1000), std::vector<std::string>{"MSH|ack\r"});
}

TEST(MllpFraming, AnEndBlockSplitBetweenReadsIsFound) {
  MllpDeframer deframer;
  std::string message;
  deframer.Append("\x0bMSH|x\x1c");
  EXPECT_EQ(deframer.Next(&message), MllpDeframer::Result::kNeedMore);
  deframer.Append("\x0d");
  ASSERT_EQ(deframer.Next(&message), MllpDeframer::Result::kMessage);
  EXPECT_EQ(message, "MSH|x");
  EXPECT_EQ(deframer.buffered_bytes(), 0u);
}

TEST(MllpFraming, AMegabyteWithoutEndBlockOverflowsAndStaysSo) {
  MllpDeframer deframer;
  std::string message;
  const std::string chunk(4096, 'x');
  MllpDeframer::Result result = MllpDeframer::Result::kNeedMore;
  size_t received = 0;
  while (result == MllpDeframer::Result::kNeedMore) {
    deframer.Append(chunk);
    received += chunk.size();
    result = deframer.Next(&message);
  }
  EXPECT_EQ(result, MllpDeframer::Result::kOverflow);
  EXPECT_EQ(received, kMaxMllpFrameBytes + chunk.size());
  EXPECT_EQ(deframer.buffered_bytes(), 0u);
  deframer.Append(MllpFrame("MSH|late\r"));
  EXPECT_EQ(deframer.Next(&message), MllpDeframer::Result::kOverflow);
}

}  // namespace
}  // namespace pedisim::devices::hl7

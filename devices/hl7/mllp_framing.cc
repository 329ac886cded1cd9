#include "devices/hl7/mllp_framing.h"

namespace pedisim::devices::hl7 {

std::string MllpFrame(std::string_view message) {
  std::string frame;
  frame.reserve(message.size() + 1 + kMllpEndBlock.size());
  frame += kMllpStartBlock;
  frame += message;
  frame += kMllpEndBlock;
  return frame;
}

void MllpDeframer::Append(std::string_view bytes) {
  if (overflowed_) return;  // nothing after it is read: memory stays bounded
  buffer_.append(bytes);
}

MllpDeframer::Result MllpDeframer::Next(std::string* message) {
  if (overflowed_) return Result::kOverflow;
  const size_t end = buffer_.find(kMllpEndBlock, searched_);
  if (end == std::string::npos) {
    // The end block's first byte may be the last one received.
    searched_ = buffer_.empty() ? 0 : buffer_.size() - 1;
    if (buffer_.size() > kMaxMllpFrameBytes) {
      overflowed_ = true;
      buffer_.clear();
      buffer_.shrink_to_fit();
      return Result::kOverflow;
    }
    return Result::kNeedMore;
  }
  std::string_view frame(buffer_.data(), end);
  if (const size_t start = frame.find(kMllpStartBlock); start != std::string_view::npos) {
    frame.remove_prefix(start + 1);
  }
  message->assign(frame);
  buffer_.erase(0, end + kMllpEndBlock.size());
  searched_ = 0;
  return Result::kMessage;
}

}  // namespace pedisim::devices::hl7

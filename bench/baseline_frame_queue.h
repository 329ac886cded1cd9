#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "baseline_stream.pb.h"
#include "core/wall_clock.h"

namespace pedisim::bench {

// One baseline client's frames waiting to be written: like DeviceChannel's
// queue, at most 64, the oldest dropped (and counted) beyond that, each
// stamped with queued_at as it is queued. Not thread-safe: its owner locks.
class BaselineFrameQueue {
 public:
  static constexpr size_t kCapacity = 64;

  void Push(const std::vector<BaselineFrame>& frames) {
    for (const BaselineFrame& frame : frames) {
      if (frames_.size() >= kCapacity) {
        frames_.pop_front();
        ++dropped_;
      }
      *frames_.emplace_back(frame).mutable_queued_at() = NowTimestamp();
    }
  }

  bool Pop(BaselineFrame* frame) {
    if (frames_.empty()) return false;
    *frame = std::move(frames_.front());
    frames_.pop_front();
    return true;
  }

  bool empty() const { return frames_.empty(); }
  uint64_t dropped() const { return dropped_; }

 private:
  std::deque<BaselineFrame> frames_;
  uint64_t dropped_ = 0;
};

}  // namespace pedisim::bench

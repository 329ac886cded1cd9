#pragma once

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>

namespace pedisim {

// Wall-clock time as a proto Timestamp, to the nanosecond. Not
// TimeUtil::GetCurrentTime: Debian's protobuf 3.21 returns whole seconds
// from it, which made event times coarse and heartbeat clock estimates wrong.
inline google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

inline std::chrono::system_clock::time_point FromTimestamp(
    const google::protobuf::Timestamp& timestamp) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(
          google::protobuf::util::TimeUtil::TimestampToNanoseconds(timestamp))));
}

inline google::protobuf::Timestamp NowTimestamp() {
  return ToTimestamp(std::chrono::system_clock::now());
}

}  // namespace pedisim

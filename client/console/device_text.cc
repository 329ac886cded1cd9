#include "client/console/device_text.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>

#include "core/text/enum_names.h"

namespace pedisim::console {

std::string FormatDevice(const v1::Device& device) {
  std::string text = device.name() + "  " + device.adapter();
  if (!device.transport().empty()) text += "/" + device.transport();
  text += "  " + text::EnumWords(device.status());
  if (device.has_last_seen()) {
    const auto seen = std::chrono::system_clock::time_point(std::chrono::nanoseconds(
        google::protobuf::util::TimeUtil::TimestampToNanoseconds(device.last_seen())));
    const double ago_s =
        std::chrono::duration<double>(std::chrono::system_clock::now() - seen).count();
    if (device.latency_ms() > 0) text += fmt::format("  latency {:.1f} ms,", device.latency_ms());
    text += fmt::format(" seen {:.1f} s ago", std::max(0.0, ago_s));
  }
  if (!device.status_detail().empty()) text += "  " + device.status_detail();
  return text;
}

}  // namespace pedisim::console

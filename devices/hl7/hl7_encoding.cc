#include "devices/hl7/hl7_encoding.h"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

namespace pedisim::devices::hl7 {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '|':
        out += "\\F\\";
        break;
      case '^':
        out += "\\S\\";
        break;
      case '~':
        out += "\\R\\";
        break;
      case '\\':
        out += "\\E\\";
        break;
      case '&':
        out += "\\T\\";
        break;
      default:
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

std::string Timestamp(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04d}{:02d}{:02d}{:02d}{:02d}{:02d}+0000", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::string Number(double value) {
  const double rounded = std::round(value * 10.0) / 10.0;
  // "-0" is not a value a receiver should have to think about.
  if (rounded == 0.0) return "0";
  std::string text = fmt::format("{:.1f}", rounded);
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text;
}

}  // namespace pedisim::devices::hl7

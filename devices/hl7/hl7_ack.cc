#include "devices/hl7/hl7_ack.h"

#include <vector>

namespace pedisim::devices::hl7 {

namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

std::optional<Ack> ParseAck(std::string_view message) {
  if (message.size() < 4 || message.substr(0, 3) != "MSH") return std::nullopt;
  const char field_separator = message[3];
  // MSH-2's first character separates components; MSA-2 is a plain ST but
  // some receivers send MSA-1 with components, so only the first counts.
  const char component_separator = message.size() > 4 ? message[4] : '^';
  size_t start = 0;
  while (start < message.size()) {
    size_t end = message.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = message.size();
    const std::string_view segment = message.substr(start, end - start);
    start = end + 1;
    if (segment.size() < 4 || segment.substr(0, 3) != "MSA" || segment[3] != field_separator) {
      continue;
    }
    const std::vector<std::string_view> fields = Split(segment, field_separator);
    Ack ack;
    if (fields.size() > 1) ack.code = Split(fields[1], component_separator)[0];
    if (fields.size() > 2) ack.control_id = fields[2];
    if (fields.size() > 3) ack.text = fields[3];
    return ack;
  }
  return std::nullopt;
}

}  // namespace pedisim::devices::hl7

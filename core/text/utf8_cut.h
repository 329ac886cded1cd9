#pragma once

#include <string_view>

namespace pedisim::text {

// The longest start of `text` that is at most `max_bytes` long and does not
// end inside a UTF-8 character: what a message may show of long input
// before it says the input was cut.
inline std::string_view CutAtCharacter(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  // Back up over continuation bytes (top bits 10) to the start of a character.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace pedisim::text

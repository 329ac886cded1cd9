#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace pedisim::scenario {

// A position in a source file; 1-based, with line 0 meaning "unknown".
struct SourceLocation {
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool known() const { return line != 0; }
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// Where each field of a parsed document was written, keyed by dotted field
// path: "patient.weight_kg", "states[2].transitions[0].to_state",
// "states[0].vital_trend_duration_s[spo2_pct]"; the document itself is "".
// Checks that run after parsing use it to point diagnostics at the right line.
class SourceMap {
 public:
  // `key` is where the field's name is written, `value` where its value
  // starts; for list elements and the document root both are the same.
  void Record(std::string field_path, SourceLocation key, SourceLocation value);

  bool Contains(std::string_view field_path) const;

  // Where the value of `field_path` is written. A path that was never
  // written (a missing field) resolves to its nearest written ancestor, so a
  // diagnostic about a missing field points at the message that lacks it.
  SourceLocation ValueLocation(std::string_view field_path) const;

  // Where the name of `field_path` is written; same fallback as above.
  SourceLocation KeyLocation(std::string_view field_path) const;

  std::size_t size() const { return locations_.size(); }

  // "states[2].name" -> "states[2]" -> "states" -> ""; "" stays "".
  static std::string_view ParentPath(std::string_view field_path);

 private:
  struct FieldLocation {
    SourceLocation key;
    SourceLocation value;
  };
  const FieldLocation* FindNearest(std::string_view field_path) const;

  std::map<std::string, FieldLocation, std::less<>> locations_;
};

}  // namespace pedisim::scenario

#include "core/scenario/source_map.h"

#include <utility>

namespace pedisim::scenario {

void SourceMap::Record(std::string field_path, SourceLocation key, SourceLocation value) {
  locations_.insert_or_assign(std::move(field_path), FieldLocation{key, value});
}

bool SourceMap::Contains(std::string_view field_path) const {
  return locations_.find(field_path) != locations_.end();
}

SourceLocation SourceMap::ValueLocation(std::string_view field_path) const {
  const FieldLocation* location = FindNearest(field_path);
  return location == nullptr ? SourceLocation{} : location->value;
}

SourceLocation SourceMap::KeyLocation(std::string_view field_path) const {
  const FieldLocation* location = FindNearest(field_path);
  return location == nullptr ? SourceLocation{} : location->key;
}

std::string_view SourceMap::ParentPath(std::string_view field_path) {
  if (field_path.empty()) return field_path;
  // A trailing "[index]" or "[map key]" is one component even when the map
  // key itself contains dots.
  if (field_path.back() == ']') {
    const std::size_t open = field_path.rfind('[');
    if (open != std::string_view::npos) return field_path.substr(0, open);
  }
  const std::size_t separator = field_path.find_last_of(".[");
  if (separator == std::string_view::npos) return {};
  return field_path.substr(0, separator);
}

const SourceMap::FieldLocation* SourceMap::FindNearest(std::string_view field_path) const {
  while (true) {
    if (auto it = locations_.find(field_path); it != locations_.end()) return &it->second;
    if (field_path.empty()) return nullptr;
    field_path = ParentPath(field_path);
  }
}

}  // namespace pedisim::scenario

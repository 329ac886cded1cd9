#include "core/scenario/source_files.h"

#include <charconv>
#include <utility>

namespace pedisim::scenario {

void SourceFiles::AddAppended(std::string field, int first_index, int count, std::string file,
                              const SourceMap& map) {
  appended_.push_back({std::move(field), first_index, count, std::move(file), &map});
}

SourceFiles::Origin SourceFiles::Resolve(std::string_view field_path) const {
  for (const Appended& appended : appended_) {
    // "states[7]..." -> field "states", index 7, rest "...".
    if (!field_path.starts_with(appended.field) ||
        field_path.substr(appended.field.size()).substr(0, 1) != "[") {
      continue;
    }
    const std::string_view after_bracket = field_path.substr(appended.field.size() + 1);
    int index = 0;
    const auto [end, error] =
        std::from_chars(after_bracket.data(), after_bracket.data() + after_bracket.size(), index);
    if (error != std::errc() || end == after_bracket.data() + after_bracket.size() || *end != ']') {
      continue;
    }
    if (index < appended.first_index || index >= appended.first_index + appended.count) continue;
    const std::string_view rest(end + 1, after_bracket.data() + after_bracket.size() - end - 1);
    return {appended.file, *appended.source_map,
            appended.field + "[" + std::to_string(index - appended.first_index) + "]" +
                std::string(rest)};
  }
  return {main_file_, main_map_, std::string(field_path)};
}

}  // namespace pedisim::scenario

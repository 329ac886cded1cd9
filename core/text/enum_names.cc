#include "core/text/enum_names.h"

#include <algorithm>
#include <cctype>

namespace pedisim::text {
namespace {

std::string ToUpper(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return upper;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

// The contract names every enum's zero value PREFIX_UNSPECIFIED, which gives
// the prefix to strip ("ACTION_KIND_").
std::string EnumPrefix(const google::protobuf::EnumDescriptor* descriptor) {
  constexpr std::string_view kUnspecified = "UNSPECIFIED";
  const auto* zero = descriptor->FindValueByNumber(0);
  if (zero == nullptr) return "";
  const std::string& name = zero->name();
  if (name.size() < kUnspecified.size() ||
      name.compare(name.size() - kUnspecified.size(), kUnspecified.size(), kUnspecified) != 0) {
    return "";
  }
  return name.substr(0, name.size() - kUnspecified.size());
}

}  // namespace

std::string ShortEnumName(const google::protobuf::EnumDescriptor* descriptor, int value) {
  const auto* value_descriptor = descriptor->FindValueByNumber(value);
  if (value_descriptor == nullptr) return std::to_string(value);
  const std::string prefix = EnumPrefix(descriptor);
  return ToLower(std::string_view(value_descriptor->name()).substr(prefix.size()));
}

std::string EnumWords(const google::protobuf::EnumDescriptor* descriptor, int value) {
  std::string words = ShortEnumName(descriptor, value);
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

std::optional<int> ParseEnumName(const google::protobuf::EnumDescriptor* descriptor,
                                 std::string_view text) {
  // "bag-mask-ventilation" as state names are written, "bag mask
  // ventilation" as people read it: all one name.
  std::string upper = ToUpper(text);
  std::replace_if(
      upper.begin(), upper.end(), [](char c) { return c == '-' || c == ' '; }, '_');
  const std::string prefix = EnumPrefix(descriptor);
  const auto* value = descriptor->FindValueByName(upper);
  if (value == nullptr) value = descriptor->FindValueByName(prefix + upper);
  if (value == nullptr || value->number() == 0) return std::nullopt;
  return value->number();
}

std::string ListShortEnumNames(const google::protobuf::EnumDescriptor* descriptor,
                               size_t line_width) {
  std::string names;
  size_t line_start = 0;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    if (number == 0) continue;
    const std::string name = ShortEnumName(descriptor, number);
    if (!names.empty()) {
      names += ",";
      if (line_width > 0 && names.size() + 1 + name.size() - line_start > line_width) {
        names += "\n";
        line_start = names.size();
      } else {
        names += " ";
      }
    }
    names += name;
  }
  return names;
}

}  // namespace pedisim::text

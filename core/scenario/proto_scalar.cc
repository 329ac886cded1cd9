#include "core/scenario/proto_scalar.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>
#include <utility>
#include <vector>

#include "core/scenario/spelling.h"

namespace pedisim::scenario {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

ScalarConversion Failure(std::string message) { return {ScalarValue{}, std::move(message)}; }

ScalarConversion TypeMismatch(const FieldDescriptor& field, std::string_view text,
                              std::string_view label) {
  return Failure("expected " + ExpectedValue(field) + " for " + std::string(label) + ", got " +
                 Quoted(text));
}

template <typename Bound>
ScalarConversion OutOfRange(const FieldDescriptor& field, std::string_view text,
                            std::string_view label, Bound min, Bound max) {
  return Failure("value " + Quoted(text) + " for " + std::string(label) + " is out of range for " +
                 field.cpp_type_name() + " (" + std::to_string(min) + " to " + std::to_string(max) +
                 ")");
}

// YAML allows an explicit '+' that std::from_chars rejects.
std::string_view StripPlusSign(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') return text.substr(1);
  return text;
}

bool IsAllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

template <typename Number>
std::errc ParseWhole(std::string_view text, Number& value) {
  const char* end = text.data() + text.size();
  auto [parsed_to, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc() && parsed_to != end) return std::errc::invalid_argument;
  return error;
}

ScalarConversion ConvertSigned(std::string_view text, const FieldDescriptor& field,
                               std::string_view label) {
  const bool is_32_bit = field.cpp_type() == FieldDescriptor::CPPTYPE_INT32;
  const std::int64_t min = is_32_bit ? std::numeric_limits<std::int32_t>::min()
                                     : std::numeric_limits<std::int64_t>::min();
  const std::int64_t max = is_32_bit ? std::numeric_limits<std::int32_t>::max()
                                     : std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  const std::errc error = ParseWhole(StripPlusSign(text), value);
  if (error == std::errc::invalid_argument) return TypeMismatch(field, text, label);
  if (error != std::errc() || value < min || value > max) {
    return OutOfRange(field, text, label, min, max);
  }
  if (is_32_bit) return {static_cast<std::int32_t>(value), {}};
  return {value, {}};
}

ScalarConversion ConvertUnsigned(std::string_view text, const FieldDescriptor& field,
                                 std::string_view label) {
  const bool is_32_bit = field.cpp_type() == FieldDescriptor::CPPTYPE_UINT32;
  const std::uint64_t max = is_32_bit ? std::numeric_limits<std::uint32_t>::max()
                                      : std::numeric_limits<std::uint64_t>::max();
  if (text.starts_with('-') && IsAllDigits(text.substr(1))) {
    return TypeMismatch(field, text, label);
  }
  std::uint64_t value = 0;
  const std::errc error = ParseWhole(StripPlusSign(text), value);
  if (error == std::errc::invalid_argument) return TypeMismatch(field, text, label);
  if (error != std::errc() || value > max) {
    return OutOfRange(field, text, label, std::uint64_t{0}, max);
  }
  if (is_32_bit) return {static_cast<std::uint32_t>(value), {}};
  return {value, {}};
}

ScalarConversion ConvertFloating(std::string_view text, const FieldDescriptor& field,
                                 std::string_view label) {
  double value = 0;
  const std::errc error = ParseWhole(StripPlusSign(text), value);
  if (error == std::errc::invalid_argument) return TypeMismatch(field, text, label);
  const bool is_float = field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT;
  const double max =
      is_float ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max();
  if (error == std::errc() && !std::isfinite(value)) {
    return Failure("expected a finite number for " + std::string(label) + ", got " + Quoted(text));
  }
  if (error != std::errc() || std::abs(value) > max) {
    return Failure("value " + Quoted(text) + " for " + std::string(label) +
                   " is out of range for " + field.cpp_type_name());
  }
  if (is_float) return {static_cast<float>(value), {}};
  return {value, {}};
}

ScalarConversion ConvertBool(std::string_view text, const FieldDescriptor& field,
                             std::string_view label) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // The YAML 1.1 spellings, which yaml-cpp also treats as booleans.
  if (lower == "true" || lower == "yes" || lower == "on") return {true, {}};
  if (lower == "false" || lower == "no" || lower == "off") return {false, {}};
  return TypeMismatch(field, text, label);
}

std::vector<std::string> ShortEnumNames(const EnumDescriptor& enum_type) {
  const std::string prefix = EnumCommonPrefix(enum_type);
  std::vector<std::string> names;
  for (int i = 0; i < enum_type.value_count(); ++i) {
    const std::string& full_name = enum_type.value(i)->name();
    if (enum_type.value(i)->number() == 0 && full_name.ends_with("_UNSPECIFIED")) continue;
    std::string name = full_name.substr(prefix.size());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    names.push_back(std::move(name));
  }
  return names;
}

ScalarConversion ConvertEnum(std::string_view text, const FieldDescriptor& field,
                             std::string_view label) {
  const EnumDescriptor& enum_type = *field.enum_type();
  std::string name;
  for (char c : text) {
    name += (c == '-' || c == ' ') ? '_'
                                   : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const EnumValueDescriptor* value = enum_type.FindValueByName(name);
  if (value == nullptr) value = enum_type.FindValueByName(EnumCommonPrefix(enum_type) + name);
  if (int number = 0; value == nullptr && ParseWhole(text, number) == std::errc()) {
    value = enum_type.FindValueByNumber(number);
  }
  if (value != nullptr) return {value, {}};

  const std::vector<std::string> known = ShortEnumNames(enum_type);
  std::string message =
      "unknown " + enum_type.name() + " value " + Quoted(text) + " for " + std::string(label);
  if (std::optional<std::string> suggestion = SuggestClosest(text, known)) {
    message += "; did you mean '" + *suggestion + "'?";
  } else {
    message += "; expected one of: " + JoinNames(known);
  }
  return Failure(std::move(message));
}

}  // namespace

ScalarConversion ConvertScalar(std::string_view text, const FieldDescriptor& field,
                               std::string_view label) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
      return ConvertSigned(text, field, label);
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return ConvertUnsigned(text, field, label);
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return ConvertFloating(text, field, label);
    case FieldDescriptor::CPPTYPE_BOOL:
      return ConvertBool(text, field, label);
    case FieldDescriptor::CPPTYPE_ENUM:
      return ConvertEnum(text, field, label);
    case FieldDescriptor::CPPTYPE_STRING:
      return {std::string(text), {}};
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return TypeMismatch(field, text, label);
}

void StoreScalar(Message& message, const FieldDescriptor& field, const ScalarValue& value) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto number = std::get<std::int32_t>(value);
      repeated ? reflection.AddInt32(&message, &field, number)
               : reflection.SetInt32(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const auto number = std::get<std::int64_t>(value);
      repeated ? reflection.AddInt64(&message, &field, number)
               : reflection.SetInt64(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const auto number = std::get<std::uint32_t>(value);
      repeated ? reflection.AddUInt32(&message, &field, number)
               : reflection.SetUInt32(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      const auto number = std::get<std::uint64_t>(value);
      repeated ? reflection.AddUInt64(&message, &field, number)
               : reflection.SetUInt64(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const auto number = std::get<double>(value);
      repeated ? reflection.AddDouble(&message, &field, number)
               : reflection.SetDouble(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const auto number = std::get<float>(value);
      repeated ? reflection.AddFloat(&message, &field, number)
               : reflection.SetFloat(&message, &field, number);
      return;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const auto flag = std::get<bool>(value);
      repeated ? reflection.AddBool(&message, &field, flag)
               : reflection.SetBool(&message, &field, flag);
      return;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* enum_value = std::get<const EnumValueDescriptor*>(value);
      repeated ? reflection.AddEnum(&message, &field, enum_value)
               : reflection.SetEnum(&message, &field, enum_value);
      return;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const auto& text = std::get<std::string>(value);
      repeated ? reflection.AddString(&message, &field, text)
               : reflection.SetString(&message, &field, text);
      return;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return;
  }
}

std::string ExpectedValue(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
      return "an integer";
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return "a non-negative integer";
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return "a number";
    case FieldDescriptor::CPPTYPE_BOOL:
      return "true or false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return "a " + field.enum_type()->name() + " value";
    case FieldDescriptor::CPPTYPE_STRING:
      return "a string";
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "a mapping of " + field.message_type()->name() + " fields";
}

std::string EnumCommonPrefix(const google::protobuf::EnumDescriptor& enum_type) {
  std::string prefix = enum_type.value(0)->name();
  for (int i = 1; i < enum_type.value_count(); ++i) {
    const std::string& name = enum_type.value(i)->name();
    const auto mismatch = std::mismatch(prefix.begin(), prefix.end(), name.begin(), name.end());
    prefix.erase(mismatch.first, prefix.end());
  }
  // Cut back to a word boundary: RHYTHM_SINUS and RHYTHM_SINUS_TACHYCARDIA
  // share "RHYTHM_SINUS" only by accident of the first values.
  const std::size_t last_underscore = prefix.rfind('_');
  return last_underscore == std::string::npos ? std::string()
                                              : prefix.substr(0, last_underscore + 1);
}

}  // namespace pedisim::scenario

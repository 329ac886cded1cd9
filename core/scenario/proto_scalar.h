#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

// Conversion of scalar text to typed protobuf field values; the building
// block of yaml_proto, kept apart so that it can be tested on its own.
namespace pedisim::scenario {

using ScalarValue =
    std::variant<std::int32_t, std::int64_t, std::uint32_t, std::uint64_t, double, float, bool,
                 std::string, const google::protobuf::EnumValueDescriptor*>;

// Either a value or, when the text does not fit the field, an error message.
struct ScalarConversion {
  ScalarValue value;
  std::string error;

  bool ok() const { return error.empty(); }
};

// Converts `text` for `field`, which must not be a message field. Error
// messages name the field as `label` ("expected a number for
// heart_rate_bpm, got 'fast'").
ScalarConversion ConvertScalar(std::string_view text,
                               const google::protobuf::FieldDescriptor& field,
                               std::string_view label);

// Sets a singular field or appends to a repeated one; `value` must come from
// ConvertScalar for the same field.
void StoreScalar(google::protobuf::Message& message, const google::protobuf::FieldDescriptor& field,
                 const ScalarValue& value);

// What a field accepts, for messages: "a number", "a mapping of Patient fields".
std::string ExpectedValue(const google::protobuf::FieldDescriptor& field);

// The part of the enum's value names that every value shares ("ACTION_KIND_"),
// which authors may leave out.
std::string EnumCommonPrefix(const google::protobuf::EnumDescriptor& enum_type);

}  // namespace pedisim::scenario

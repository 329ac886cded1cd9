// Readable names for the contract's enums, derived from the generated
// descriptors so that new enum values need no change here.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>
#include <string_view>

namespace pedisim::text {

// Lower-case name without the enum's prefix: ACTION_KIND_OXYGEN -> "oxygen".
// Unknown numbers (from a newer controller) come out as their number.
std::string ShortEnumName(const google::protobuf::EnumDescriptor* descriptor, int value);

template <typename Enum>
std::string ShortEnumName(Enum value) {
  return ShortEnumName(google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// The short name in words, as people read it: GRADE_MET_LATE -> "met late",
// COMPETENCY_PATIENT_CARE -> "patient care". Machine names ("met_late")
// stay for files and flags, which ParseEnumName reads.
std::string EnumWords(const google::protobuf::EnumDescriptor* descriptor, int value);

template <typename Enum>
std::string EnumWords(Enum value) {
  return EnumWords(google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// Accepts the short or the full name in any case ("oxygen", "ACTION_KIND_OXYGEN"),
// with dashes or spaces for underscores ("bag-mask-ventilation").
// The UNSPECIFIED value is never accepted.
std::optional<int> ParseEnumName(const google::protobuf::EnumDescriptor* descriptor,
                                 std::string_view text);

// "oxygen, bag_mask_ventilation, ..." (every value but UNSPECIFIED), broken
// into lines of at most `line_width` characters when it is not 0.
std::string ListShortEnumNames(const google::protobuf::EnumDescriptor* descriptor,
                               size_t line_width = 0);

}  // namespace pedisim::text

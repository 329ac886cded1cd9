// Checks of option values whose failures read well in a usage error
// (CLI11's own range checks print the double range in full).
#pragma once

#include <google/protobuf/descriptor.h>

#include <CLI/CLI.hpp>

namespace pedisim::cli {

// A number greater than 0.
CLI::Validator PositiveNumber();

// A number of 0 or more.
CLI::Validator NonNegativeNumber();

// Validates an option value with text::ParseEnumName and rewrites it to the
// full name, so that the command can use the generated Enum_Parse.
CLI::Validator EnumNameValidator(const google::protobuf::EnumDescriptor* descriptor);

}  // namespace pedisim::cli

#include "validators.h"

#include <cmath>
#include <string>

#include "core/text/enum_names.h"

namespace pedisim::cli {
namespace {

CLI::Validator NumberCheck(bool zero_allowed) {
  return CLI::Validator(
      [zero_allowed](std::string& text) -> std::string {
        double value = 0;
        // CLI11 converts the value to the option's type after the checks.
        if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value)) {
          return "'" + text + "' is not a number";
        }
        if (value > 0 || (zero_allowed && value == 0)) return "";
        return "must be " + std::string(zero_allowed ? "0 or more" : "greater than 0") + ", got " +
               text;
      },
      "");
}

}  // namespace

CLI::Validator PositiveNumber() { return NumberCheck(false); }

CLI::Validator NonNegativeNumber() { return NumberCheck(true); }

CLI::Validator EnumNameValidator(const google::protobuf::EnumDescriptor* descriptor) {
  return CLI::Validator(
      [descriptor](std::string& text) -> std::string {
        const auto number = text::ParseEnumName(descriptor, text);
        if (!number) {
          return "unknown value '" + text +
                 "'; valid values: " + text::ListShortEnumNames(descriptor);
        }
        text = descriptor->FindValueByNumber(*number)->name();
        return "";
      },
      "");
}

}  // namespace pedisim::cli

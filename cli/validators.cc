#include "validators.h"

#include <cmath>
#include <string>

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

}  // namespace pedisim::cli

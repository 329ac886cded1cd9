// Checks of option values whose failures read well in a usage error
// (CLI11's own range checks print the double range in full).
#ifndef PEDISIM_CLI_VALIDATORS_H_
#define PEDISIM_CLI_VALIDATORS_H_

#include <CLI/CLI.hpp>

namespace pedisim::cli {

// A number greater than 0.
CLI::Validator PositiveNumber();

// A number of 0 or more.
CLI::Validator NonNegativeNumber();

}  // namespace pedisim::cli

#endif  // PEDISIM_CLI_VALIDATORS_H_

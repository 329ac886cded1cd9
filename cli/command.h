// Shared plumbing between main.cc and the subcommand groups.
#pragma once

#include <functional>
#include <string>

#include "client/connection_flags.h"

namespace pedisim::cli {

// Options that apply to every subcommand.
struct GlobalOptions {
  std::string controller = "127.0.0.1:50051";
  bool json = false;
  // Deadline of unary calls; streams (watch) have none.
  double timeout_s = 10.0;
  // Token and TLS as given on the command line, and as resolved with the
  // environment before any command runs.
  client::ConnectionFlags connection_flags;
  client::ConnectionOptions connection;
};

// Ends the help of subcommands that have their own footer.
inline constexpr char kGlobalHelpPointer[] =
    "Global options (--controller, --token, --json, --timeout-s) and exit codes:\n"
    "see pedisimctl --help.";

// The work of the subcommand the user chose; returns the process exit code.
// Parsing only selects it, so that nothing talks to the controller until the
// whole command line is known to be valid.
using CommandRunner = std::function<int()>;

}  // namespace pedisim::cli

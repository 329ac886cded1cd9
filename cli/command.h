// Shared plumbing between main.cc and the subcommand groups.
#ifndef PEDISIM_CLI_COMMAND_H_
#define PEDISIM_CLI_COMMAND_H_

#include <functional>
#include <string>

namespace pedisim::cli {

// Options that apply to every subcommand.
struct GlobalOptions {
  std::string controller = "127.0.0.1:50051";
  bool json = false;
  // Deadline of unary calls; streams (watch) have none.
  double timeout_s = 10.0;
  // The bearer token: --token, else $PEDISIM_TOKEN, else the first line of
  // --token-file, else of $PEDISIM_TOKEN_FILE (resolved before any command runs).
  std::string token;
  std::string token_file;
  // TLS trust: --ca-file or --tls-fingerprint, else $PEDISIM_CA_FILE or
  // $PEDISIM_TLS_FINGERPRINT; neither: plain text (loopback controllers).
  std::string ca_file;
  std::string tls_fingerprint;
  // Plain text to a controller beyond loopback: --allow-plaintext or
  // $PEDISIM_ALLOW_PLAINTEXT; refused otherwise.
  bool allow_plaintext = false;
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

#endif  // PEDISIM_CLI_COMMAND_H_

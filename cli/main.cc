// pedisimctl: command-line client of a PediSim controller. It uses only the
// public gRPC API (proto/pedisim/v1), like any third-party client would.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "admin_commands.h"
#include "backup_commands.h"
#include "client/client_token.h"
#include "client/console/output.h"
#include "client/controller_channel.h"
#include "client/network_address.h"
#include "command.h"
#include "core/version.h"
#include "device_cert_commands.h"
#include "recording_commands.h"
#include "scenario_commands.h"
#include "session_commands.h"
#include "validators.h"

namespace pedisim::cli {
namespace {

constexpr char kDescription[] =
    "pedisimctl: control a PediSim controller (scenarios and sessions) over gRPC";

std::string HelpFooter() {
  return std::string(
             "\nThe controller address comes from --controller, else $PEDISIM_CONTROLLER,\n"
             "else 127.0.0.1:50051. The token comes from --token, else $PEDISIM_TOKEN,\n"
             "else --token-file, else $PEDISIM_TOKEN_FILE (a controller's first start\n"
             "writes an admin token to DATA_DIR/admin.token). TLS: --ca-file or\n"
             "--tls-fingerprint (or $PEDISIM_CA_FILE, $PEDISIM_TLS_FINGERPRINT); a\n"
             "controller beyond loopback serves nothing else, and pedisimctl does not send\n"
             "a token there in plain text unless given --allow-plaintext (or\n"
             "$PEDISIM_ALLOW_PLAINTEXT=1). Errors go to stderr as\n"
             "\"pedisimctl: <STATUS>: <message>\".\n\n") +
         console::kExitCodeHelp;
}

int Main(int argc, char** argv) {
  GlobalOptions global;
  CommandRunner selected;

  CLI::App app(kDescription, "pedisimctl");
  // Subcommands inherit the footer current when they are added: theirs
  // points here, and only the top level carries the full text.
  app.footer(std::string("\n") + kGlobalHelpPointer);
  app.set_version_flag("--version", VersionText("pedisimctl"));
  app.require_subcommand(1);
  // Subcommands inherit this: global options may also follow the subcommand
  // ("pedisimctl session list --json").
  app.fallthrough();
  app.add_option("--controller", global.controller, "Controller address")
      ->type_name("HOST:PORT")
      ->envname("PEDISIM_CONTROLLER")
      ->capture_default_str();
  client::AddConnectionFlags(app, global.connection_flags);
  app.add_flag("--json", global.json,
               "Print responses as JSON, one object per line (watch: one per update)");
  app.add_option("--timeout-s", global.timeout_s, "Deadline of each call, seconds (not watch)")
      ->type_name("SECONDS")
      ->capture_default_str()
      ->check(PositiveNumber());

  AddScenarioCommands(app, global, selected);
  AddSessionCommands(app, global, selected);
  AddRecordingCommands(app, global, selected);
  AddAdminCommands(app, global, selected);
  AddDeviceCertCommands(app, global, selected);
  AddBackupCommands(app, global, selected);
  app.footer(HelpFooter());

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "pedisimctl: usage error: " << e.what() << "\n"
              << "Run with --help for more information.\n";
    return console::kExitUsage;
  }
  client::ResolvedConnection connection =
      client::ResolveConnection(global.connection_flags, global.controller);
  switch (connection.error) {
    case client::ConnectionFlagError::kUnreadableToken:
      console::PrintError(connection.message);
      return console::kExitNotFound;
    case client::ConnectionFlagError::kPlaintextRefused:
      console::PrintError(connection.message);
      return console::kExitUsage;
    case client::ConnectionFlagError::kNone:
      break;
  }
  global.connection = std::move(connection.options);
  try {
    return selected();
  } catch (const std::runtime_error& error) {
    // An unreadable --ca-file, found when the channel is made.
    console::PrintError(error.what());
    return console::kExitNotFound;
  }
}

}  // namespace
}  // namespace pedisim::cli

int main(int argc, char** argv) { return pedisim::cli::Main(argc, argv); }

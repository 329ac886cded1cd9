// pedisim-device: a virtual monitor and manikin that joins a session over
// the network, the way a maker's device would (gRPC or plain TCP).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>

#include "client/client_token.h"
#include "client/controller_channel.h"
#include "client/network_address.h"
#include "controller/scenario/scenario_loader.h"
#include "devices/network/device_client.h"
#include "devices/pedisim_device/device_profile.h"
#include "devices/pedisim_device/script_player.h"
#include "output.h"
#include "watch_printer.h"

namespace {

using pedisim::devices::DeviceClient;
namespace v1 = pedisim::v1;

struct Options {
  std::string session_id;
  std::string pairing_code;
  std::string controller = "127.0.0.1:50051";
  std::string token;
  std::string token_file;
  std::string ca_file;
  std::string tls_fingerprint;
  bool allow_plaintext = false;
  std::string certificate_file;
  std::string key_file;
  std::string tcp;
  std::string name;
  std::string role = "both";
  std::string serial;
  std::string actions_file;
  std::vector<std::string> waveforms;
  double vitals_every_s = 10;
  bool json = false;
};

int Run(const Options& options) {
  std::optional<v1::ActionScript> script;
  if (!options.actions_file.empty()) {
    const pedisim::scenario::ActionScriptResult parsed =
        pedisim::scenario::LoadActionScriptFile(options.actions_file);
    if (!parsed.ok()) {
      std::cerr << parsed.FormatDiagnostics();
      return pedisim::cli::kExitInvalidInput;
    }
    script = *parsed.script;
  }

  DeviceClient::Options connect;
  connect.transport =
      options.tcp.empty() ? DeviceClient::Transport::kGrpc : DeviceClient::Transport::kTcp;
  connect.address = options.tcp.empty() ? options.controller : options.tcp;
  std::string token_error;
  const std::optional<std::string> token =
      pedisim::client::ResolveToken(options.token, options.token_file, &token_error);
  if (!token) {
    std::cerr << "pedisim-device: " << token_error << "\n";
    return pedisim::cli::kExitNotFound;
  }
  connect.token = *token;
  pedisim::client::ConnectionOptions trust;
  pedisim::client::ResolveTlsTrust(options.ca_file, options.tls_fingerprint, &trust);
  connect.ca_file = trust.ca_file;
  connect.tls_fingerprint = trust.fingerprint;
  connect.allow_plaintext = pedisim::client::ResolveAllowPlaintext(options.allow_plaintext);
  pedisim::client::ResolveClientCertificate(options.certificate_file, options.key_file, &trust);
  connect.certificate_file = trust.certificate_file;
  connect.key_file = trust.key_file;
  if (connect.ca_file.empty() && connect.tls_fingerprint.empty()) {
    const std::string refusal =
        pedisim::client::PlaintextRefusal(connect.address, connect.allow_plaintext);
    if (!refusal.empty()) {
      std::cerr << "pedisim-device: " << refusal << "\n";
      return pedisim::cli::kExitUsage;
    }
  }
  std::string error;
  std::optional<v1::DeviceHello> hello =
      pedisim::device_app::MakeHello({.role = options.role,
                                      .name = options.name,
                                      .serial = options.serial,
                                      .waveforms = options.waveforms,
                                      .senses_script = script.has_value()},
                                     &error);
  if (!hello) {
    std::cerr << "pedisim-device: " << error << "\n";
    return pedisim::cli::kExitUsage;
  }
  if (!options.pairing_code.empty()) {
    hello->set_pairing_code(options.pairing_code);
  } else {
    hello->set_session_id(options.session_id);
  }
  connect.hello = *hello;

  grpc::Status status;
  std::unique_ptr<DeviceClient> client = DeviceClient::Connect(connect, &status);
  if (!client) {
    pedisim::cli::PrintStatusError(status);
    return pedisim::cli::ExitCodeForStatus(status.error_code(), /*reached_controller=*/true);
  }
  const v1::DeviceWelcome& welcome = client->welcome();
  if (!options.json) {
    std::cout << "pedisim-device: '" << welcome.device_name() << "' joined session "
              << welcome.session_id() << " over " << (options.tcp.empty() ? "gRPC" : "TCP") << "\n";
    if (welcome.missing_capabilities_size() > 0) {
      std::cout << "the session still needs:";
      for (const std::string& missing : welcome.missing_capabilities()) {
        std::cout << " " << missing;
      }
      std::cout << "\n";
    }
  }

  const bool terminal = isatty(STDOUT_FILENO) == 1;
  pedisim::cli::WatchPrinter printer(std::cout,
                                     {.live_vitals_line = terminal && !options.json,
                                      .color = terminal && std::getenv("NO_COLOR") == nullptr,
                                      .vitals_every_s = options.vitals_every_s});
  std::unique_ptr<pedisim::device_app::ScriptPlayer> player;
  if (script) {
    player = std::make_unique<pedisim::device_app::ScriptPlayer>(
        *client, pedisim::devices::ExpandActionScript(*script));
  }
  v1::SessionUpdate snapshot_update;
  *snapshot_update.mutable_snapshot() = welcome.snapshot();
  if (player) player->Observe(snapshot_update);
  if (options.json) {
    pedisim::cli::PrintJsonLine(snapshot_update);
  } else {
    printer.Print(snapshot_update);
  }

  v1::ControllerMessage message;
  while (client->Next(&message)) {
    if (!message.has_update()) continue;
    if (player) player->Observe(message.update());
    if (options.json) {
      pedisim::cli::PrintJsonLine(message.update());
      std::cout.flush();
    } else {
      printer.Print(message.update());
    }
  }
  player.reset();
  const grpc::Status ended = client->final_status();
  if (!ended.ok()) {
    if (!options.json) printer.ReleaseTerminal();
    pedisim::cli::PrintStatusError(ended);
    return pedisim::cli::ExitCodeForStatus(ended.error_code(), /*reached_controller=*/true);
  }
  if (!options.json) printer.PrintSummary(/*interrupted=*/false);
  return pedisim::cli::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "pedisim-device: a virtual patient monitor and CPR manikin that joins a PediSim session "
      "over the network (gRPC, or plain TCP with --tcp), shows what a monitor would show and "
      "reports a learner-action file as a manikin would."};
  auto* join = app.add_option_group("join", "Which session to join");
  join->add_option("--session", options.session_id, "Session id");
  join->add_option("--pairing-code", options.pairing_code,
                   "The code the instructor reads out (pedisimctl session show)");
  join->require_option(1);
  app.add_option("--controller", options.controller, "Controller's gRPC address")
      ->capture_default_str();
  app.add_option("--token", options.token,
                 "The device's token (else $PEDISIM_TOKEN, --token-file, $PEDISIM_TOKEN_FILE)");
  app.add_option("--token-file", options.token_file, "File whose first line is the token");
  app.add_option("--ca-file", options.ca_file,
                 "Use TLS (gRPC or TCP), trusting this CA (else $PEDISIM_CA_FILE)");
  app.add_option("--tls-fingerprint", options.tls_fingerprint,
                 "Use TLS, trusting the server certificate with this SHA-256 (else "
                 "$PEDISIM_TLS_FINGERPRINT)");
  app.add_flag("--allow-plaintext", options.allow_plaintext,
               "Talk plain text to a controller beyond loopback (else $PEDISIM_ALLOW_PLAINTEXT)");
  app.add_option("--cert-file", options.certificate_file,
                 "Authenticate with this client certificate (PEM; pedisimctl device-cert issue) "
                 "instead of a token, over TLS (else $PEDISIM_CERT_FILE)");
  app.add_option("--key-file", options.key_file,
                 "Private key (PEM) of --cert-file (else $PEDISIM_KEY_FILE)");
  app.add_option("--tcp", options.tcp,
                 "Use the plain TCP transport at this host:port instead of gRPC "
                 "(the controller's --device-tcp-listen)");
  app.add_option("--name", options.name,
                 "Name in the session, unique there (default: the role, e.g. 'manikin')");
  app.add_option("--role", options.role, "What it is: monitor, manikin or both")
      ->check(CLI::IsMember({"monitor", "manikin", "both"}))
      ->capture_default_str();
  app.add_option("--serial", options.serial,
                 "Serial number; a device reconnecting with the same name and serial takes "
                 "its place back (default: from the host name and process id)");
  app.add_option("--actions", options.actions_file,
                 "Action file (the ActionScript YAML of scenarios/*/*.actions.yaml) to report "
                 "as the session's clock reaches each action")
      ->check(CLI::ExistingFile);
  app.add_option("--waveforms", options.waveforms,
                 "Waveforms to stream: ecg_ii, pleth, capnogram, respiration (default for a "
                 "monitor: none, to keep the terminal readable)")
      ->delimiter(',');
  app.add_option("--vitals-every-s", options.vitals_every_s,
                 "When stdout is not a terminal: simulated seconds between vitals lines")
      ->capture_default_str();
  app.add_flag("--json", options.json, "Print each update as one JSON line");
  app.footer(std::string("\nExits 0 when the session ends.\n") + pedisim::cli::kExitCodeHelp);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : pedisim::cli::kExitUsage;
  }
  return Run(options);
}

// pedisim-device: a virtual monitor and manikin that joins a session over
// the network, the way a maker's device would (gRPC or plain TCP).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "client/connection_flags.h"
#include "client/console/output.h"
#include "client/console/watch_printer.h"
#include "client/controller_channel.h"
#include "client/network_address.h"
#include "core/scenario/scenario_loader.h"
#include "core/version.h"
#include "devices/network/device_client.h"
#include "devices/network/rejoin.h"
#include "devices/pedisim_device/device_profile.h"
#include "devices/pedisim_device/script_player.h"

namespace {

using pedisim::devices::DeviceClient;
namespace v1 = pedisim::v1;

struct Options {
  std::string session_id;
  std::string pairing_code;
  std::string controller = "127.0.0.1:50051";
  pedisim::client::ConnectionFlags connection;
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
      return pedisim::console::kExitInvalidInput;
    }
    script = *parsed.script;
  }

  DeviceClient::Options connect;
  connect.transport =
      options.tcp.empty() ? DeviceClient::Transport::kGrpc : DeviceClient::Transport::kTcp;
  connect.address = options.tcp.empty() ? options.controller : options.tcp;
  const pedisim::client::ResolvedConnection resolved =
      pedisim::client::ResolveConnection(options.connection, connect.address);
  switch (resolved.error) {
    case pedisim::client::ConnectionFlagError::kUnreadableToken:
      std::cerr << "pedisim-device: " << resolved.message << "\n";
      return pedisim::console::kExitNotFound;
    case pedisim::client::ConnectionFlagError::kPlaintextRefused:
      std::cerr << "pedisim-device: " << resolved.message << "\n";
      return pedisim::console::kExitUsage;
    case pedisim::client::ConnectionFlagError::kNone:
      break;
  }
  connect.UseConnection(resolved.options);
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
    return pedisim::console::kExitUsage;
  }
  if (!options.pairing_code.empty()) {
    hello->set_pairing_code(options.pairing_code);
  } else {
    hello->set_session_id(options.session_id);
  }
  connect.hello = *hello;

  const bool terminal = isatty(STDOUT_FILENO) == 1;
  pedisim::console::WatchPrinter printer(std::cout,
                                         {.live_vitals_line = terminal && !options.json,
                                          .color = terminal && std::getenv("NO_COLOR") == nullptr,
                                          .vitals_every_s = options.vitals_every_s});
  const std::vector<pedisim::devices::TimedAction> timeline =
      script ? pedisim::devices::ExpandActionScript(*script)
             : std::vector<pedisim::devices::TimedAction>{};
  size_t actions_sent = 0;
  pedisim::devices::RejoinBackoff backoff;
  bool joined_before = false;
  std::string last_retry_reason;
  // Joins, follows the session until the link ends, and while the ending
  // is worth another try (the controller went away, or restarted and waits
  // for an instructor to resume the class) joins again by the same pairing
  // code or session id, until the session ends.
  while (true) {
    grpc::Status status;
    std::unique_ptr<DeviceClient> client = DeviceClient::Connect(connect, &status);
    if (!client) {
      // The first join is the user's: a wrong code or token is said at once.
      if (!joined_before || !pedisim::devices::WorthRejoining(status)) {
        if (!options.json && joined_before) printer.ReleaseTerminal();
        if (joined_before) std::cerr << "pedisim-device: giving up rejoining\n";
        pedisim::console::PrintStatusError(status);
        // A join that timed out never heard from the controller: 69, as
        // pedisimctl says of an unreachable one.
        return pedisim::console::ExitCodeForStatus(status.error_code(),
                                                   /*reached_controller=*/false);
      }
      if (status.error_message() != last_retry_reason) {
        last_retry_reason = status.error_message();
        std::cerr << "pedisim-device: cannot rejoin yet (will retry): " << status.error_message()
                  << "\n";
      }
      std::this_thread::sleep_for(backoff.Next());
      continue;
    }
    backoff.Reset();
    last_retry_reason.clear();
    const v1::DeviceWelcome& welcome = client->welcome();
    connect.hello = pedisim::devices::RejoinHello(connect.hello, welcome);
    if (!options.json) {
      std::cout << "pedisim-device: '" << welcome.device_name() << "' "
                << (joined_before ? "rejoined" : "joined") << " session " << welcome.session_id()
                << " over " << (options.tcp.empty() ? "gRPC" : "TCP") << "\n";
      if (welcome.missing_capabilities_size() > 0) {
        std::cout << "the session still needs:";
        for (const std::string& missing : welcome.missing_capabilities()) {
          std::cout << " " << missing;
        }
        std::cout << "\n";
      }
      std::cout.flush();
    }
    joined_before = true;

    // The actions not yet reported, from where the last link left off.
    std::unique_ptr<pedisim::device_app::ScriptPlayer> player;
    const size_t already_sent = actions_sent;
    if (script) {
      player = std::make_unique<pedisim::device_app::ScriptPlayer>(
          *client,
          std::vector<pedisim::devices::TimedAction>(
              timeline.begin() + static_cast<std::ptrdiff_t>(already_sent), timeline.end()));
    }
    v1::SessionUpdate snapshot_update;
    *snapshot_update.mutable_snapshot() = welcome.snapshot();
    if (player) player->Observe(snapshot_update);
    if (options.json) {
      pedisim::console::PrintJsonLine(snapshot_update);
    } else {
      printer.Print(snapshot_update);
    }

    v1::ControllerMessage message;
    while (client->Next(&message)) {
      if (!message.has_update()) continue;
      if (player) player->Observe(message.update());
      if (options.json) {
        pedisim::console::PrintJsonLine(message.update());
        std::cout.flush();
      } else {
        printer.Print(message.update());
      }
    }
    if (player) actions_sent = already_sent + player->sent();
    player.reset();
    const grpc::Status ended = client->final_status();
    if (ended.ok()) {
      if (!options.json) printer.PrintSummary(/*interrupted=*/false);
      return pedisim::console::kExitOk;
    }
    if (!pedisim::devices::WorthRejoining(ended)) {
      if (!options.json) printer.ReleaseTerminal();
      pedisim::console::PrintStatusError(ended);
      return pedisim::console::ExitCodeForStatus(ended.error_code(), /*reached_controller=*/true);
    }
    if (!options.json) printer.ReleaseTerminal();
    std::cerr << "pedisim-device: the link ended (" << ended.error_message()
              << "); rejoining session " << welcome.session_id() << "\n";
    std::this_thread::sleep_for(backoff.Next());
  }
}

}  // namespace

int main(int argc, char** argv) {
  pedisim::console::SetProgramName("pedisim-device");
  Options options;
  CLI::App app{
      "pedisim-device: a virtual patient monitor and CPR manikin that joins a PediSim session "
      "over the network (gRPC, or plain TCP with --tcp), shows what a monitor would show and "
      "reports a learner-action file as a manikin would."};
  app.set_version_flag("--version", pedisim::VersionText("pedisim-device"));
  auto* join = app.add_option_group("join", "Which session to join");
  join->add_option("--session", options.session_id, "Session id");
  join->add_option("--pairing-code", options.pairing_code,
                   "The code the instructor reads out (pedisimctl session show)");
  join->require_option(1);
  app.add_option("--controller", options.controller, "Controller's gRPC address")
      ->capture_default_str();
  pedisim::client::AddConnectionFlags(app, options.connection,
                                      pedisim::client::WithClientCertificate::kYes);
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
  app.footer(
      std::string(
          "\nExits 0 when the session ends. When the controller goes away (a restart, a crash, the "
          "network) it rejoins by the same pairing code or session id, trying again after 0.5 s "
          "doubling to 5 s, until the session ends or a join is refused for good.\n") +
      pedisim::console::kExitCodeHelp);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : pedisim::console::kExitUsage;
  }
  return Run(options);
}

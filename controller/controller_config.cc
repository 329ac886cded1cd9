#include "controller/controller_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "client/network_address.h"
#include "core/version.h"

namespace pedisim {

namespace {

std::string Where(const std::filesystem::path& file, const YAML::Node& node) {
  return fmt::format("{}:{}:{}", file.string(), node.Mark().line + 1, node.Mark().column + 1);
}

// `session_devices`: a list of {adapter, name, config: {key: value}}.
std::vector<ControllerConfig::SessionDevice> ParseSessionDevices(const std::filesystem::path& file,
                                                                 const YAML::Node& list) {
  if (!list.IsSequence()) {
    throw CLI::ValidationError("--config",
                               Where(file, list) + ": session_devices: expected a list");
  }
  std::vector<ControllerConfig::SessionDevice> devices;
  for (const YAML::Node& entry : list) {
    if (!entry.IsMap()) {
      throw CLI::ValidationError("--config", Where(file, entry) + ": expected a map");
    }
    ControllerConfig::SessionDevice& device = devices.emplace_back();
    device.where = Where(file, entry);
    for (const auto& field : entry) {
      const std::string key = field.first.as<std::string>();
      if (key == "adapter" && field.second.IsScalar()) {
        device.attachment.set_adapter(field.second.as<std::string>());
      } else if (key == "name" && field.second.IsScalar()) {
        device.attachment.set_name(field.second.as<std::string>());
      } else if (key == "config" && field.second.IsMap()) {
        for (const auto& setting : field.second) {
          if (!setting.second.IsScalar()) {
            throw CLI::ValidationError(
                "--config", Where(file, setting.second) + ": config values are single values");
          }
          (*device.attachment.mutable_config())[setting.first.as<std::string>()] =
              setting.second.as<std::string>();
        }
      } else {
        throw CLI::ValidationError("--config",
                                   Where(file, field.first) + ": '" + key +
                                       "' is not adapter (name), name (name) or config (map)");
      }
    }
    if (device.attachment.adapter().empty()) {
      throw CLI::ValidationError("--config", device.where + ": adapter: required");
    }
  }
  return devices;
}

// Fills options not given on the command line from the YAML file.
void ApplyConfigFile(const std::filesystem::path& file, CLI::App& app, ControllerConfig* config) {
  const YAML::Node root = YAML::LoadFile(file.string());
  if (!root.IsMap()) throw CLI::ValidationError("--config", file.string() + ": expected a map");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (key == "session_devices") {
      config->session_devices = ParseSessionDevices(file, entry.second);
      continue;
    }
    std::string flag = "--" + key;
    for (char& c : flag) c = c == '_' ? '-' : c;
    CLI::Option* option = nullptr;
    try {
      option = app.get_option(flag);
    } catch (const CLI::OptionNotFound&) {
      throw CLI::ValidationError("--config", file.string() + ":" +
                                                 std::to_string(entry.first.Mark().line + 1) +
                                                 ": unknown key '" + key + "'");
    }
    if (option->count() == 0 && key != "config") {
      option->add_result(entry.second.as<std::string>());
      option->run_callback();
    }
  }
}

// The scenario library installed with this executable, wherever the tree
// was installed (a package, a prefix, a scratch root); empty when it runs
// from the build tree.
std::filesystem::path ScenariosBesideExecutable() {
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const std::filesystem::path scenarios =
      (executable.parent_path() / PEDISIM_BIN_TO_SCENARIOS_DIR).lexically_normal();
  return std::filesystem::is_directory(scenarios, error) ? scenarios : std::filesystem::path();
}

}  // namespace

ParsedConfig ParseControllerConfig(int argc, char** argv) {
  ControllerConfig config;
  // Defaults: $PEDISIM_SCENARIOS_DIR (the build tree's ./pedisim sets it),
  // else the installed library. The data folder is systemd's StateDirectory
  // when it started us, /var/lib/pedisim when installed, else (a build tree)
  // ./pedisim-data.
  const std::filesystem::path installed_scenarios = ScenariosBesideExecutable();
  if (const char* scenarios = std::getenv("PEDISIM_SCENARIOS_DIR"); scenarios && *scenarios) {
    config.scenarios_dir = scenarios;
  } else if (!installed_scenarios.empty()) {
    config.scenarios_dir = installed_scenarios;
  } else {
    config.scenarios_dir = PEDISIM_INSTALLED_SCENARIOS_DIR;
  }
  if (const char* state = std::getenv("STATE_DIRECTORY"); state && *state) {
    // systemd lists one folder per StateDirectory= entry, separated by ':'.
    config.data_dir = std::string(state).substr(0, std::string(state).find(':'));
  } else if (!installed_scenarios.empty()) {
    config.data_dir = PEDISIM_INSTALLED_DATA_DIR;
  }
  std::filesystem::path config_file;

  CLI::App app{
      "pedisim-controller: runs pediatric simulation sessions and serves the PediSim "
      "gRPC API (proto/pedisim/v1)."};
  app.set_version_flag("--version", VersionText("pedisim-controller"));
  app.add_option("--listen", config.listen, "Address to serve on; port 0 picks a free port")
      ->capture_default_str();
  app.add_option("--data-dir", config.data_dir,
                 "Folder for session records, tokens and TLS keys; default: $STATE_DIRECTORY "
                 "(systemd's StateDirectory), else " PEDISIM_INSTALLED_DATA_DIR
                 " when installed, else ./pedisim-data")
      ->capture_default_str();
  app.add_option("--scenarios-dir", config.scenarios_dir,
                 "Folder of scenario files; default: $PEDISIM_SCENARIOS_DIR, else the library "
                 "installed with this program")
      ->capture_default_str();
  app.add_option("--port-file", config.port_file,
                 "Write the bound port here once serving (for scripts and tests)");
  app.add_option("--log-level", config.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  limits::LimitSettings& limits = config.limits;
  app.add_option(
         "--max-sessions", limits.max_sessions,
         "Live sessions (created, running or paused) this controller runs at once; ended ones "
         "do not count")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  app.add_option("--max-devices-per-session", limits.max_devices_per_session,
                 "Devices one session may have attached (configured and network)")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  app.add_option("--max-watchers-per-session", limits.max_watchers_per_session,
                 "SessionService.Watch streams open on one session at once")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  app.add_option("--max-message-bytes", limits.max_message_bytes,
                 "Largest gRPC request message and TCP device frame (TCP frames never beyond "
                 "1 MiB, the framing's own ceiling)")
      ->check(CLI::Range(4096u, 64u << 20))
      ->capture_default_str();
  app.add_option("--device-message-rate", limits.device_message_rate,
                 "Messages per second a network device may send, sustained; a device over it "
                 "is disconnected")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  app.add_option("--device-message-burst", limits.device_message_burst,
                 "Messages a network device may send at once above --device-message-rate")
      ->check(CLI::Range(1u, 10000000u))
      ->capture_default_str();
  app.add_option("--device-stall-ms", limits.device_stall_ms,
                 "A network device that takes nothing of what is queued for it this long (it "
                 "stopped reading) is disconnected")
      ->check(CLI::Range(100u, 3600000u))
      ->capture_default_str();
  app.add_option("--device-hello-ms", limits.device_hello_ms,
                 "A TCP device connection that has not finished TLS and said hello this long "
                 "after connecting is closed")
      ->check(CLI::Range(100u, 600000u))
      ->capture_default_str();
  app.add_option("--max-pending-devices-per-host", limits.max_pending_devices_per_host,
                 "TCP device connections one host may hold open before they join a session; "
                 "more are closed at once")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  app.add_option("--min-free-disk-mb", limits.min_free_disk_mb,
                 "Free space (MB) the data folder's disk must have for a session to be created, "
                 "forked, started or resumed; watched each second while sessions run (under it "
                 "they are paused by the system); 0 checks nothing")
      ->check(CLI::Range(0u, 10000000u))
      ->capture_default_str();
  app.add_option("--device-tcp-listen", config.device_tcp_listen,
                 "host:port for devices on plain TCP (length-prefixed protobuf frames), or "
                 "'off'; default: the --listen host, port 50052 (0 when --listen's port is 0)");
  app.add_option("--device-tcp-port-file", config.device_tcp_port_file,
                 "Write the bound device TCP port here once serving");
  app.add_option("--device-heartbeat-ms", config.device_heartbeat_ms,
                 "Heartbeat interval of network devices; three missed = disconnected")
      ->check(CLI::Range(50, 60000))
      ->capture_default_str();
  app.add_option("--scenario-watch-ms", config.scenario_watch_ms,
                 "Look at the scenario folder this often and load added, changed and removed "
                 "scenarios without a restart (sessions keep the version they started with); 0: "
                 "only at start-up")
      ->check(CLI::Range(0, 3600000))
      ->capture_default_str();
  app.add_option("--retention-days", config.retention_days,
                 "Delete unlocked recordings this many days after they were made (0: never)")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  app.add_option("--auth-failure-burst", config.auth_failure_burst,
                 "Failed authentications a client host (bad tokens) or an account (calls its "
                 "role may not make) may make in a row before it is refused")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--auth-failure-refill-ms", config.auth_failure_refill_ms,
                 "After that, one more attempt is allowed every this many milliseconds")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  app.add_option("--token-lifetime-days", config.token_lifetime_days,
                 "New tokens of people (admins, instructors, learners) work this many days "
                 "unless CreateToken says (0: until revoked); pedisimctl login renews them")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  app.add_option("--device-token-lifetime-days", config.device_token_lifetime_days,
                 "New tokens of devices work this many days unless CreateToken says (0: until "
                 "revoked)")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  app.add_option("--tls-cert", config.tls_cert,
                 "TLS certificate chain (PEM) for gRPC and the device TCP port; default: the "
                 "controller's own CA and certificate, made in DATA_DIR/tls on first use")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", config.tls_key, "Private key (PEM) of --tls-cert")
      ->check(CLI::ExistingFile);
  app.add_option("--device-ca-cert", config.device_ca_cert,
                 "CA certificate (PEM) that issues devices their client certificates "
                 "(AdminService.IssueDeviceCertificate) and verifies them; default: the "
                 "controller's own CA, unless --tls-cert is given")
      ->check(CLI::ExistingFile);
  app.add_option("--device-ca-key", config.device_ca_key, "Private key (PEM) of --device-ca-cert")
      ->check(CLI::ExistingFile);
  app.add_flag("--tls", config.tls,
               "Serve TLS on loopback too (listeners beyond loopback always do)");
  app.add_flag("--allow-plaintext", config.allow_plaintext,
               "Serve plain text beyond loopback: anyone on the network can read sessions, "
               "tokens included (a warning is logged at start-up)");
  app.add_option("--config", config_file, "YAML file with any of the options above")
      ->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
    if (!config_file.empty()) ApplyConfigFile(config_file, app, &config);
  } catch (const CLI::ParseError& error) {
    return {std::nullopt, app.exit(error)};
  } catch (const YAML::Exception& error) {
    std::cerr << config_file.string() << ":" << error.mark.line + 1 << ":" << error.mark.column + 1
              << ": " << error.msg << "\n";
    return {std::nullopt, 2};
  }
  if (config.device_tcp_listen.empty()) {
    const std::optional<HostPort> grpc_address = SplitHostPort(config.listen);
    const std::string host = grpc_address ? grpc_address->host : "127.0.0.1";
    config.device_tcp_listen =
        fmt::format("{}:{}", host.find(':') != std::string::npos ? "[" + host + "]" : host,
                    grpc_address && grpc_address->port == 0 ? 0 : 50052);
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    std::cerr << "--tls-cert and --tls-key go together\n";
    return {std::nullopt, 2};
  }
  if (config.device_ca_cert.empty() != config.device_ca_key.empty()) {
    std::cerr << "--device-ca-cert and --device-ca-key go together\n";
    return {std::nullopt, 2};
  }
  if (config.device_tcp_listen != "off" && !SplitHostPort(config.device_tcp_listen)) {
    std::cerr << "--device-tcp-listen: '" << config.device_tcp_listen
              << "' is not host:port or 'off'\n";
    return {std::nullopt, 2};
  }
  return {config, 0};
}

bool ControllerConfig::UsesTls(const std::string& host) const {
  if (tls || !tls_cert.empty()) return true;
  return !client::IsLoopbackHost(host) && !allow_plaintext;
}

std::optional<HostPort> SplitHostPort(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 >= address.size()) return std::nullopt;
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (host.empty()) return std::nullopt;
  unsigned port = 0;
  const char* digits = address.c_str() + colon + 1;
  const auto [end, error] = std::from_chars(digits, address.c_str() + address.size(), port);
  if (error != std::errc() || *end != '\0' || port > 65535) return std::nullopt;
  return HostPort{host, static_cast<uint16_t>(port)};
}

}  // namespace pedisim

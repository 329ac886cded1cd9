#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "controller/limits/limit_counters.h"
#include "pedisim/v1/device.pb.h"

namespace pedisim {

// How a controller is started: flags, optionally completed by a YAML file
// whose keys are the flag names with underscores (listen, data_dir, ...).
struct ControllerConfig {
  std::string listen = "127.0.0.1:50051";
  // Defaults (ParseControllerConfig): $STATE_DIRECTORY (systemd), else
  // /var/lib/pedisim when installed, else this; the scenarios: the library
  // installed with the executable (share/pedisim/scenarios).
  std::filesystem::path data_dir = "pedisim-data";
  std::filesystem::path scenarios_dir;
  std::filesystem::path port_file;
  std::string log_level = "info";
  // Sizes, rates and counts the controller allows (limit_counters.h).
  limits::LimitSettings limits;
  // Where devices that cannot run gRPC connect over plain TCP; "off" turns it
  // off. Empty: the --listen host, port 50052, or a free port when --listen
  // asks for one (port 0).
  std::string device_tcp_listen;
  std::filesystem::path device_tcp_port_file;
  // Heartbeats to and from network devices; three missed = disconnected.
  int device_heartbeat_ms = 1000;
  // Unlocked recordings are deleted this many days after they were made;
  // 0 keeps them until deleted by hand.
  int retention_days = 0;
  // How often the scenario folder is looked at for added, changed and
  // removed files, which are loaded without a restart; 0 = never.
  int scenario_watch_ms = 2000;
  // Failed authentications a client host may make in a row before it is
  // refused, and how often one more is allowed after that.
  int auth_failure_burst = 10;
  int auth_failure_refill_ms = 6000;
  // How long new tokens work, in days, unless CreateToken says; 0 = until
  // revoked.
  uint32_t token_lifetime_days = 180;
  uint32_t device_token_lifetime_days = 0;
  // TLS for gRPC and the device TCP port: with this certificate chain and
  // key (PEM), else with the controller's own CA and certificate in
  // DATA_DIR/tls. Listeners beyond loopback always use it unless
  // allow_plaintext; `tls` turns it on for loopback ones too.
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  bool tls = false;
  bool allow_plaintext = false;
  // The CA (certificate and key, PEM) that issues devices their client
  // certificates and verifies them; default: the controller's own CA in
  // DATA_DIR/tls, when it serves its own certificate. With tls_cert and
  // without these, devices authenticate with tokens only.
  std::filesystem::path device_ca_cert;
  std::filesystem::path device_ca_key;

  // Whether a listener on `host` serves TLS.
  bool UsesTls(const std::string& host) const;
  // Devices every session gets, from the config file's `session_devices`
  // (e.g. the hospital's HL7 receiver); `where` is each one's file:line:col
  // for start-up errors.
  struct SessionDevice {
    v1::DeviceAttachment attachment;
    std::string where;
  };
  std::vector<SessionDevice> session_devices;
};

// The host and port of "host:port" (IPv6 in brackets); nullopt when malformed.
struct HostPort {
  std::string host;
  uint16_t port;
};
std::optional<HostPort> SplitHostPort(const std::string& address);

// Parses argv; on --help or a usage error prints and returns the exit code
// to end with instead of a configuration.
struct ParsedConfig {
  std::optional<ControllerConfig> config;
  int exit_code = 0;
};
ParsedConfig ParseControllerConfig(int argc, char** argv);

}  // namespace pedisim

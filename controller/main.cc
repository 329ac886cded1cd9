// pedisim-controller: hosts simulation sessions behind the public gRPC API.

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <asio/ssl.hpp>
#include <csignal>
#include <fstream>
#include <iterator>
#include <thread>
#include <tuple>

#include "client/network_address.h"
#include "client/tls_fingerprint.h"
#include "controller/auth/auth_interceptor.h"
#include "controller/auth/authenticator.h"
#include "controller/auth/revocation.h"
#include "controller/auth/token_store.h"
#include "controller/controller_config.h"
#include "controller/device_gateway/device_gateway.h"
#include "controller/device_gateway/tcp_device_server.h"
#include "controller/services/admin_service.h"
#include "controller/services/assessment_service.h"
#include "controller/services/debrief_service.h"
#include "controller/services/device_service.h"
#include "controller/services/retention_sweeper.h"
#include "controller/services/scenario_service.h"
#include "controller/services/session_service.h"
#include "controller/session/session_manager.h"
#include "controller/tls/controller_certificates.h"
#include "core/scenario/scenario_catalog.h"
#include "devices/builtin_adapters.h"

namespace {

// Written beside the target and renamed, so a reader never sees half a number.
bool WritePortFile(const std::filesystem::path& path, int port) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary);
    out << port << "\n";
    if (!out) return false;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  return !error;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The names clients may reach the listeners by: for a wildcard address,
// every address of this machine.
std::vector<std::string> CertificateHosts(const std::vector<std::string>& listen_hosts) {
  std::vector<std::string> hosts;
  for (const std::string& host : listen_hosts) {
    if (host == "0.0.0.0" || host == "::") {
      for (std::string& address : pedisim::tls::InterfaceAddresses()) hosts.push_back(address);
    } else {
      hosts.push_back(host);
    }
  }
  return hosts;
}

// Every network device holds a socket (a TCP device one of its own, gRPC
// devices at least one per client process), and each session keeps its
// record open. The usual soft limit of 1,024 open files is there for select(),
// which neither gRPC nor Asio uses (both use epoll), and it cuts a classroom
// of 1,000 TCP manikins short with "Too many open files" on accept. Raise
// the soft limit to the hard one, which the administrator still controls.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    spdlog::info("open file limit raised from {} to {}", before, limit.rlim_cur);
  }
}

int WaitForTerminationSignal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

}  // namespace

int main(int argc, char** argv) {
  const pedisim::ParsedConfig parsed = pedisim::ParseControllerConfig(argc, argv);
  if (!parsed.config) return parsed.exit_code;
  const pedisim::ControllerConfig& config = *parsed.config;
  // Logs go to stderr so that stdout stays free for scripts.
  spdlog::set_default_logger(spdlog::stderr_color_mt("pedisim"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  RaiseOpenFileLimit();

  // Block the termination signals in every thread gRPC will start, so that
  // only sigwait below sees them and shutdown runs on the main thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A file grown past the administrator's size limit must fail its write
  // (the recorder reports it and keeps the record valid), not kill the
  // controller and every session with it.
  std::signal(SIGXFSZ, SIG_IGN);

  // Records hold learners' names and grades: everything the controller
  // writes (records, catalog, tokens, keys, logs it opens) is its account's
  // alone, whatever the umask of whoever started it.
  umask(S_IRWXG | S_IRWXO);
  if (std::error_code error; std::filesystem::exists(config.data_dir, error)) {
    const auto perms = std::filesystem::status(config.data_dir, error).permissions();
    if ((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) !=
        std::filesystem::perms::none) {
      spdlog::warn(
          "{} is open to other accounts of this machine (chmod 700 it): new files in "
          "it are not, but what is there may be",
          config.data_dir.string());
    }
  }

  pedisim::scenario::ScenarioCatalog catalog(config.scenarios_dir);
  spdlog::info("{} scenarios loaded from {}", catalog.List().size(), config.scenarios_dir.string());
  for (const auto& error : catalog.LoadErrors()) {
    spdlog::warn("{}:{}:{}: {}", error.file(), error.line(), error.column(), error.message());
  }

  pedisim::devices::AdapterRegistry adapters;
  pedisim::devices::RegisterBuiltinAdapters(adapters);
  // Devices every session gets are checked now: a typo in the hospital's
  // HL7 settings is a start-up error, not a surprise in the first session.
  std::vector<pedisim::v1::DeviceAttachment> session_devices;
  for (const pedisim::ControllerConfig::SessionDevice& device : config.session_devices) {
    const pedisim::devices::AdapterConfig settings(device.attachment.config().begin(),
                                                   device.attachment.config().end());
    const auto made = adapters.Create(device.attachment.adapter(), settings);
    if (!made.adapter) {
      spdlog::critical("{}: session_devices: {}", device.where, made.message);
      return 2;
    }
    session_devices.push_back(device.attachment);
  }
  // Opening the catalog recovers from a crash: torn record tails are cut and
  // sessions that were running are listed as interrupted.
  std::unique_ptr<pedisim::recording::RecordingCatalog> recordings;
  try {
    recordings = std::make_unique<pedisim::recording::RecordingCatalog>(config.data_dir);
  } catch (const std::exception& error) {
    spdlog::critical("cannot open the recordings in {}: {}", config.data_dir.string(),
                     error.what());
    return 1;
  }
  // Users and tokens. The first start creates an admin and hands its token
  // over in a file only this account can read.
  std::unique_ptr<pedisim::auth::TokenStore> tokens;
  try {
    tokens = std::make_unique<pedisim::auth::TokenStore>(config.data_dir);
    const std::filesystem::path token_file = config.data_dir / "admin.token";
    if (const std::optional<std::string> token = tokens->Bootstrap(token_file)) {
      // The token itself stays out of the log, which is often kept and
      // shared (a journal); the file is the owner's alone.
      spdlog::warn("first start: created user 'admin'; its token is in {} (mode 0600)",
                   token_file.string());
    }
  } catch (const std::exception& error) {
    spdlog::critical("cannot open the users and tokens in {}: {}", config.data_dir.string(),
                     error.what());
    return 1;
  }
  // Streams already open end when their token is revoked (auth::StillValid).
  pedisim::auth::SetCredentialCheck(
      [store = tokens.get()](const pedisim::auth::Caller& caller) { return store->Holds(caller); });
  pedisim::auth::Authenticator authenticator(
      *tokens, {.burst = config.auth_failure_burst,
                .refill = std::chrono::milliseconds(config.auth_failure_refill_ms)});
  pedisim::limits::LimitCounters limits(config.limits);
  pedisim::session::SessionManager sessions(catalog, adapters, *recordings, config.data_dir, limits,
                                            session_devices);
  pedisim::services::ScenarioServiceImpl scenario_service(catalog, adapters);
  pedisim::services::SessionServiceImpl session_service(sessions);
  pedisim::device_gateway::DeviceGateway gateway(
      sessions, {.heartbeat_interval = std::chrono::milliseconds(config.device_heartbeat_ms),
                 .limits = {},
                 .counters = &limits,
                 .authenticator = &authenticator});
  pedisim::services::DeviceServiceImpl device_service(gateway);
  pedisim::services::AssessmentServiceImpl assessment_service(sessions);
  pedisim::services::DebriefServiceImpl debrief_service(*recordings, sessions,
                                                        config.retention_days);
  std::unique_ptr<pedisim::services::RetentionSweeper> retention;
  if (config.retention_days > 0) {
    retention = std::make_unique<pedisim::services::RetentionSweeper>(*recordings, debrief_service,
                                                                      config.retention_days);
  }

  // TLS wherever the network reaches (ControllerConfig::UsesTls).
  const std::optional<pedisim::HostPort> grpc_address = pedisim::SplitHostPort(config.listen);
  const std::string grpc_host = grpc_address ? grpc_address->host : config.listen;
  const std::optional<pedisim::HostPort> device_address =
      config.device_tcp_listen == "off" ? std::nullopt
                                        : pedisim::SplitHostPort(config.device_tcp_listen);
  const bool grpc_tls = config.UsesTls(grpc_host);
  const bool device_tls = device_address && config.UsesTls(device_address->host);
  std::optional<pedisim::tls::ServerCertificate> certificate;
  std::unique_ptr<asio::ssl::context> device_tls_context;
  // Devices' client certificates: issued and verified by this CA, when the
  // controller has one whose key it holds.
  std::unique_ptr<pedisim::tls::DeviceCertificateAuthority> device_ca;
  std::string why_no_device_ca;
  try {
    if (grpc_tls || device_tls) {
      certificate = config.tls_cert.empty()
                        ? pedisim::tls::EnsureControllerCertificate(
                              config.data_dir / "tls",
                              CertificateHosts(
                                  {grpc_host, device_address ? device_address->host : grpc_host}))
                        : pedisim::tls::ServerCertificate{config.tls_cert, config.tls_key, {}, {}};
      const std::string fingerprint =
          pedisim::client::CertificateFingerprint(ReadText(certificate->certificate_chain));
      spdlog::info("TLS certificate {} (SHA-256 {}); clients trust it with {}--tls-fingerprint {}",
                   certificate->certificate_chain.string(), fingerprint,
                   certificate->ca.empty() ? "" : "--ca-file " + certificate->ca.string() + " or ",
                   fingerprint);
    }
    if (!config.device_ca_cert.empty()) {
      device_ca = std::make_unique<pedisim::tls::DeviceCertificateAuthority>(config.device_ca_cert,
                                                                             config.device_ca_key);
    } else if (certificate && !certificate->ca_key.empty()) {
      device_ca = std::make_unique<pedisim::tls::DeviceCertificateAuthority>(certificate->ca,
                                                                             certificate->ca_key);
    } else if (certificate) {
      why_no_device_ca =
          "the controller serves the administrator's certificate (--tls-cert) and holds no CA "
          "key to sign device certificates with: start it with --device-ca-cert and "
          "--device-ca-key";
    } else {
      why_no_device_ca =
          "the controller serves no TLS (plain text on loopback), so devices could not present a "
          "certificate: start it with --tls, or with --device-ca-cert and --device-ca-key";
    }
    if (device_ca && certificate) {
      spdlog::info("devices may authenticate with client certificates issued by {}",
                   device_ca->certificate_file().string());
    }
    if (device_tls) {
      device_tls_context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
      device_tls_context->set_options(asio::ssl::context::default_workarounds |
                                      asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                                      asio::ssl::context::no_tlsv1 |
                                      asio::ssl::context::no_tlsv1_1);
      device_tls_context->use_certificate_chain_file(certificate->certificate_chain.string());
      device_tls_context->use_private_key_file(certificate->private_key.string(),
                                               asio::ssl::context::pem);
      if (device_ca) {
        // Asked for, not required: devices with a token need none. One that
        // does not verify fails the handshake.
        device_tls_context->set_verify_mode(asio::ssl::verify_peer);
        device_tls_context->load_verify_file(device_ca->certificate_file().string());
        // Without a session id context OpenSSL refuses a verified client's
        // attempt to resume its session.
        static constexpr unsigned char kSessionContext[] = "pedisim-devices";
        SSL_CTX_set_session_id_context(device_tls_context->native_handle(), kSessionContext,
                                       sizeof kSessionContext - 1);
      }
    }
  } catch (const std::exception& error) {
    spdlog::critical("TLS: {}", error.what());
    return 1;
  }
  for (const auto& [host, uses_tls, what] :
       {std::tuple{grpc_host, grpc_tls, "gRPC"},
        std::tuple{device_address ? device_address->host : grpc_host, !device_address || device_tls,
                   "device TCP"}}) {
    if (!uses_tls && !pedisim::client::IsLoopbackHost(host)) {
      spdlog::warn(
          "--allow-plaintext: serving {} in plain text on {}, beyond loopback: anyone on "
          "the network can read sessions and tokens",
          what, host);
    }
  }
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (grpc_tls) {
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back(
        {ReadText(certificate->private_key), ReadText(certificate->certificate_chain)});
    if (device_ca) {
      // Asked for, not required (staff and token devices have none); a
      // certificate that does not verify against the device CA fails the
      // handshake.
      tls.pem_root_certs = device_ca->certificate_pem();
      tls.client_certificate_request = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(tls);
  }
  pedisim::services::AdminServiceImpl admin_service(*tokens, limits, device_ca.get(),
                                                    why_no_device_ca);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen, credentials, &port);
  // gRPC refuses a larger message itself, before any handler or interceptor
  // sees the call ("Received message larger than max (N vs. M)",
  // RESOURCE_EXHAUSTED), so these refusals are not in the limit's counter.
  builder.SetMaxReceiveMessageSize(static_cast<int>(config.limits.max_message_bytes));
  builder.RegisterService(&scenario_service);
  builder.RegisterService(&session_service);
  builder.RegisterService(&device_service);
  builder.RegisterService(&assessment_service);
  builder.RegisterService(&debrief_service);
  builder.RegisterService(&admin_service);
  // Every call, to every service, passes the access check first.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<pedisim::auth::AuthInterceptorFactory>(
      authenticator, /*client_certificates=*/grpc_tls && device_ca != nullptr));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    spdlog::critical("cannot listen on {}", config.listen);
    return 1;
  }
  const std::string host = config.listen.substr(0, config.listen.rfind(':'));
  spdlog::info("pedisim-controller listening on {}:{} ({}), data in {}", host, port,
               grpc_tls ? "TLS" : "plain text", config.data_dir.string());

  std::unique_ptr<pedisim::device_gateway::TcpDeviceServer> tcp_devices;
  if (config.device_tcp_listen != "off") {
    const std::optional<pedisim::HostPort>& address = device_address;
    try {
      tcp_devices = std::make_unique<pedisim::device_gateway::TcpDeviceServer>(
          gateway, authenticator, device_tls_context.get(), address->host, address->port);
    } catch (const std::exception& error) {
      spdlog::critical("cannot listen for TCP devices on {}: {}", config.device_tcp_listen,
                       error.what());
      return 1;
    }
    spdlog::info("devices on TCP: {}:{} ({})", address->host, tcp_devices->port(),
                 device_tls ? "TLS" : "plain text");
    if (!config.device_tcp_port_file.empty() &&
        !WritePortFile(config.device_tcp_port_file, tcp_devices->port())) {
      spdlog::critical("cannot write port file {}", config.device_tcp_port_file.string());
      return 1;
    }
  }

  // Written last: once it exists, every listener is serving.
  if (!config.port_file.empty() && !WritePortFile(config.port_file, port)) {
    spdlog::critical("cannot write port file {}", config.port_file.string());
    return 1;
  }

  const int signal = WaitForTerminationSignal(signals);
  spdlog::info("signal {} received: stopping sessions", signal);
  // Sessions end first, so every watcher is handed its final snapshot and
  // every record is complete; then the server drains. gRPC 1.51 holds
  // Shutdown to its deadline while idle clients stay connected, so the grace
  // period is short: long enough to flush a final snapshot on a LAN.
  sessions.StopAll();
  // Devices got their final snapshot with the sessions' end; links still
  // open (a device that joined nothing that ended) close now.
  gateway.CloseAll(grpc::Status(grpc::StatusCode::UNAVAILABLE, "controller shutting down"));
  if (tcp_devices) tcp_devices->Stop();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  spdlog::info("pedisim-controller stopped");
  return 0;
}

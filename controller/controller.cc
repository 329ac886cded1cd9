#include "controller/controller.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <asio/ssl.hpp>
#include <fstream>
#include <iterator>
#include <tuple>

#include "client/network_address.h"
#include "client/tls_fingerprint.h"
#include "controller/auth/auth_interceptor.h"
#include "controller/auth/authenticator.h"
#include "controller/auth/revocation.h"
#include "controller/auth/token_store.h"
#include "controller/device_gateway/device_gateway.h"
#include "controller/device_gateway/tcp_device_server.h"
#include "controller/listen_probe.h"
#include "controller/recording/recording_catalog.h"
#include "controller/services/admin_service.h"
#include "controller/services/assessment_service.h"
#include "controller/services/debrief_service.h"
#include "controller/services/device_service.h"
#include "controller/services/reflection_v1_service.h"
#include "controller/services/retention_sweeper.h"
#include "controller/services/scenario_service.h"
#include "controller/services/session_service.h"
#include "controller/session/session_manager.h"
#include "controller/tls/controller_certificates.h"
#include "core/scenario/scenario_catalog.h"
#include "devices/builtin_adapters.h"

namespace pedisim {

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
      for (std::string& address : tls::InterfaceAddresses()) hosts.push_back(address);
    } else {
      hosts.push_back(host);
    }
  }
  return hosts;
}

std::optional<HostPort> DeviceAddress(const ControllerConfig& config) {
  return config.device_tcp_listen == "off" ? std::nullopt : SplitHostPort(config.device_tcp_listen);
}

}  // namespace

Controller::Controller(ControllerConfig config) : config_(std::move(config)) {}

Controller::~Controller() { Stop(); }

int Controller::Start() {
  // A port another controller serves is an error found before anything in
  // the data folder is touched: a start that cannot serve changes nothing.
  const std::optional<HostPort> grpc_address = SplitHostPort(config_.listen);
  grpc_host_ = grpc_address ? grpc_address->host : config_.listen;
  const std::optional<HostPort> device_address = DeviceAddress(config_);
  std::string why;
  if ((grpc_address && !CanListen(grpc_address->host, grpc_address->port, &why)) ||
      (device_address && !CanListen(device_address->host, device_address->port, &why))) {
    spdlog::critical("cannot start: {}", why);
    return 1;
  }
  // The lock comes before anything in the folder is read or written.
  lock_ = DataFolderLock::Take(config_.data_dir, &why);
  if (!lock_) {
    spdlog::critical("cannot start: {}", why);
    return 1;
  }
  if (const int failed = OpenDataFolder(); failed != 0) return failed;
  if (const int failed = PrepareTls(); failed != 0) return failed;
  return Serve();
}

int Controller::OpenDataFolder() {
  // Records hold learners' names and grades: everything the controller
  // writes (records, catalog, tokens, keys, logs it opens) is its account's
  // alone, whatever the umask of whoever started it.
  umask(S_IRWXG | S_IRWXO);
  if (std::error_code error; std::filesystem::exists(config_.data_dir, error)) {
    const auto perms = std::filesystem::status(config_.data_dir, error).permissions();
    if ((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) !=
        std::filesystem::perms::none) {
      spdlog::warn(
          "{} is open to other accounts of this machine (chmod 700 it): new files in "
          "it are not, but what is there may be",
          config_.data_dir.string());
    }
  }

  catalog_ = std::make_unique<scenario::ScenarioCatalog>(config_.scenarios_dir);
  spdlog::info("{} scenarios loaded from {}", catalog_->List().size(),
               config_.scenarios_dir.string());
  for (const auto& error : catalog_->LoadErrors()) {
    spdlog::warn("{}:{}:{}: {}", error.file(), error.line(), error.column(), error.message());
  }

  devices::RegisterBuiltinAdapters(adapters_);
  // Devices every session gets are checked now: a typo in the hospital's
  // HL7 settings is a start-up error, not a surprise in the first session.
  for (const ControllerConfig::SessionDevice& device : config_.session_devices) {
    const devices::AdapterConfig settings(device.attachment.config().begin(),
                                          device.attachment.config().end());
    const auto made = adapters_.Create(device.attachment.adapter(), settings);
    if (!made.adapter) {
      spdlog::critical("{}: session_devices: {}", device.where, made.message);
      return 2;
    }
    session_devices_.push_back(device.attachment);
  }
  // Opening the catalog recovers from a crash: torn record tails are cut and
  // sessions that were running are listed as interrupted.
  try {
    recordings_ = std::make_unique<recording::RecordingCatalog>(config_.data_dir);
  } catch (const std::exception& error) {
    spdlog::critical("cannot open the recordings in {}: {}", config_.data_dir.string(),
                     error.what());
    return 1;
  }
  // Users and tokens. The first start creates an admin and hands its token
  // over in a file only this account can read.
  try {
    tokens_ = std::make_unique<auth::TokenStore>(
        config_.data_dir,
        auth::TokenLifetimes{config_.token_lifetime_days, config_.device_token_lifetime_days});
    const std::filesystem::path token_file = config_.data_dir / "admin.token";
    if (const std::optional<std::string> token = tokens_->Bootstrap(token_file)) {
      // The token itself stays out of the log, which is often kept and
      // shared (a journal); the file is the owner's alone.
      spdlog::warn("first start: created user 'admin'; its token is in {} (mode 0600)",
                   token_file.string());
    }
  } catch (const std::exception& error) {
    spdlog::critical("cannot open the users and tokens in {}: {}", config_.data_dir.string(),
                     error.what());
    return 1;
  }
  // Streams already open end when their token is revoked (auth::StillValid).
  auth::SetCredentialCheck(
      [store = tokens_.get()](const auth::Caller& caller) { return store->Holds(caller); });
  authenticator_ = std::make_unique<auth::Authenticator>(
      *tokens_, auth::FailureLimiter::Options{
                    .burst = config_.auth_failure_burst,
                    .refill = std::chrono::milliseconds(config_.auth_failure_refill_ms)});
  limits_ = std::make_unique<limits::LimitCounters>(config_.limits);
  sessions_ = std::make_unique<session::SessionManager>(
      *catalog_, adapters_, *recordings_, config_.data_dir, *limits_, session_devices_);
  scenario_service_ = std::make_unique<services::ScenarioServiceImpl>(*catalog_, adapters_);
  session_service_ = std::make_unique<services::SessionServiceImpl>(*sessions_);
  gateway_ = std::make_unique<device_gateway::DeviceGateway>(
      *sessions_, device_gateway::GatewayOptions{
                      .heartbeat_interval = std::chrono::milliseconds(config_.device_heartbeat_ms),
                      .limits = {},
                      .counters = limits_.get(),
                      .authenticator = authenticator_.get()});
  device_service_ = std::make_unique<services::DeviceServiceImpl>(*gateway_);
  assessment_service_ = std::make_unique<services::AssessmentServiceImpl>(*sessions_);
  debrief_service_ = std::make_unique<services::DebriefServiceImpl>(*recordings_, *sessions_,
                                                                    config_.retention_days);
  if (config_.retention_days > 0) {
    retention_ = std::make_unique<services::RetentionSweeper>(*recordings_, *debrief_service_,
                                                              config_.retention_days);
  }
  return 0;
}

int Controller::PrepareTls() {
  const std::optional<HostPort> device_address = DeviceAddress(config_);
  grpc_tls_ = config_.UsesTls(grpc_host_);
  device_tls_ = device_address && config_.UsesTls(device_address->host);
  std::optional<tls::ServerCertificate> certificate;
  try {
    if (grpc_tls_ || device_tls_) {
      certificate = config_.tls_cert.empty()
                        ? tls::EnsureControllerCertificate(
                              config_.data_dir / "tls",
                              CertificateHosts(
                                  {grpc_host_, device_address ? device_address->host : grpc_host_}))
                        : tls::ServerCertificate{config_.tls_cert, config_.tls_key, {}, {}};
      const std::string fingerprint =
          client::CertificateFingerprint(ReadText(certificate->certificate_chain));
      spdlog::info("TLS certificate {} (SHA-256 {}); clients trust it with {}--tls-fingerprint {}",
                   certificate->certificate_chain.string(), fingerprint,
                   certificate->ca.empty() ? "" : "--ca-file " + certificate->ca.string() + " or ",
                   fingerprint);
    }
    if (!config_.device_ca_cert.empty()) {
      device_ca_ = std::make_unique<tls::DeviceCertificateAuthority>(config_.device_ca_cert,
                                                                     config_.device_ca_key);
    } else if (certificate && !certificate->ca_key.empty()) {
      device_ca_ =
          std::make_unique<tls::DeviceCertificateAuthority>(certificate->ca, certificate->ca_key);
    } else if (certificate) {
      why_no_device_ca_ =
          "the controller serves the administrator's certificate (--tls-cert) and holds no CA "
          "key to sign device certificates with: start it with --device-ca-cert and "
          "--device-ca-key";
    } else {
      why_no_device_ca_ =
          "the controller serves no TLS (plain text on loopback), so devices could not present a "
          "certificate: start it with --tls, or with --device-ca-cert and --device-ca-key";
    }
    if (device_ca_ && certificate) {
      spdlog::info("devices may authenticate with client certificates issued by {}",
                   device_ca_->certificate_file().string());
    }
    if (device_tls_) {
      device_tls_context_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
      device_tls_context_->set_options(asio::ssl::context::default_workarounds |
                                       asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                                       asio::ssl::context::no_tlsv1 |
                                       asio::ssl::context::no_tlsv1_1);
      device_tls_context_->use_certificate_chain_file(certificate->certificate_chain.string());
      device_tls_context_->use_private_key_file(certificate->private_key.string(),
                                                asio::ssl::context::pem);
      if (device_ca_) {
        // Asked for, not required: devices with a token need none. One that
        // does not verify fails the handshake.
        device_tls_context_->set_verify_mode(asio::ssl::verify_peer);
        device_tls_context_->load_verify_file(device_ca_->certificate_file().string());
        // Without a session id context OpenSSL refuses a verified client's
        // attempt to resume its session.
        static constexpr unsigned char kSessionContext[] = "pedisim-devices";
        SSL_CTX_set_session_id_context(device_tls_context_->native_handle(), kSessionContext,
                                       sizeof kSessionContext - 1);
      }
    }
  } catch (const std::exception& error) {
    spdlog::critical("TLS: {}", error.what());
    return 1;
  }
  for (const auto& [host, uses_tls, what] :
       {std::tuple{grpc_host_, grpc_tls_, "gRPC"},
        std::tuple{device_address ? device_address->host : grpc_host_,
                   !device_address || device_tls_, "device TCP"}}) {
    if (!uses_tls && !client::IsLoopbackHost(host)) {
      spdlog::warn(
          "--allow-plaintext: serving {} in plain text on {}, beyond loopback: anyone on "
          "the network can read sessions and tokens",
          what, host);
    }
  }
  credentials_ = grpc::InsecureServerCredentials();
  if (grpc_tls_) {
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back(
        {ReadText(certificate->private_key), ReadText(certificate->certificate_chain)});
    if (device_ca_) {
      // Asked for, not required (staff and token devices have none); a
      // certificate that does not verify against the device CA fails the
      // handshake.
      options.pem_root_certs = device_ca_->certificate_pem();
      options.client_certificate_request = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials_ = grpc::SslServerCredentials(options);
  }
  return 0;
}

int Controller::Serve() {
  admin_service_ = std::make_unique<services::AdminServiceImpl>(
      *tokens_, *limits_, device_ca_.get(), why_no_device_ca_, config_.data_dir);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config_.listen, credentials_, &port_);
  // gRPC binds with SO_REUSEPORT by default, so that a second controller on
  // the same port would listen too and take half of the clients.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // gRPC refuses a larger message itself, before any handler or interceptor
  // sees the call ("Received message larger than max (N vs. M)",
  // RESOURCE_EXHAUSTED), so these refusals are not in the limit's counter.
  builder.SetMaxReceiveMessageSize(static_cast<int>(config_.limits.max_message_bytes));
  builder.RegisterService(scenario_service_.get());
  builder.RegisterService(session_service_.get());
  builder.RegisterService(device_service_.get());
  builder.RegisterService(assessment_service_.get());
  builder.RegisterService(debrief_service_.get());
  builder.RegisterService(admin_service_.get());
  // Reflection v1 beside the plugin's v1alpha, and health, per service.
  std::vector<std::string> service_names = {v1::ScenarioService::service_full_name(),
                                            v1::SessionService::service_full_name(),
                                            v1::DeviceService::service_full_name(),
                                            v1::AssessmentService::service_full_name(),
                                            v1::DebriefService::service_full_name(),
                                            v1::AdminService::service_full_name(),
                                            "grpc.health.v1.Health",
                                            "grpc.reflection.v1.ServerReflection",
                                            "grpc.reflection.v1alpha.ServerReflection"};
  reflection_v1_service_ = std::make_unique<services::ReflectionV1Service>(service_names);
  builder.RegisterService(reflection_v1_service_.get());
  // Every call, to every service, passes the access check first.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<auth::AuthInterceptorFactory>(
      *authenticator_, /*client_certificates=*/grpc_tls_ && device_ca_ != nullptr));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    spdlog::critical("cannot listen on {} (in use?)", config_.listen);
    return 1;
  }
  // Health answers for the server as a whole (the empty name) and for
  // each service by its full name; anything else is NOT_FOUND.
  for (const std::string& name : service_names) {
    server_->GetHealthCheckService()->SetServingStatus(name, true);
  }
  spdlog::info("pedisim-controller listening on {}:{} ({}), data in {}", grpc_host_, port_,
               grpc_tls_ ? "TLS" : "plain text", config_.data_dir.string());

  if (const std::optional<HostPort> address = DeviceAddress(config_)) {
    try {
      tcp_devices_ = std::make_unique<device_gateway::TcpDeviceServer>(
          *gateway_, *authenticator_, device_tls_context_.get(), address->host, address->port);
    } catch (const std::exception& error) {
      spdlog::critical("cannot listen for TCP devices on {}: {}", config_.device_tcp_listen,
                       error.what());
      return 1;
    }
    spdlog::info("devices on TCP: {}:{} ({})", address->host, tcp_devices_->port(),
                 device_tls_ ? "TLS" : "plain text");
    if (!config_.device_tcp_port_file.empty() &&
        !WritePortFile(config_.device_tcp_port_file, tcp_devices_->port())) {
      spdlog::critical("cannot write port file {}", config_.device_tcp_port_file.string());
      return 1;
    }
  }

  exhaustion_watch_ = std::make_unique<ExhaustionWatch>(*limits_);
  disk_watch_ = std::make_unique<DiskWatch>(*sessions_);
  if (config_.scenario_watch_ms > 0) {
    scenario_watch_ = std::make_unique<ScenarioFolderWatch>(
        *catalog_, std::chrono::milliseconds(config_.scenario_watch_ms));
  }

  // Written last: once it exists, every listener is serving.
  if (!config_.port_file.empty() && !WritePortFile(config_.port_file, port_)) {
    spdlog::critical("cannot write port file {}", config_.port_file.string());
    return 1;
  }
  return 0;
}

void Controller::Stop() {
  if (stopped_) return;
  stopped_ = true;
  // Sessions are interrupted first (paused, not ended: a service restart
  // or an upgrade is not the instructor's stop), so every watcher is handed
  // a last snapshot and every record is flushed; then the server drains.
  // gRPC 1.51 holds Shutdown to its deadline while idle clients stay
  // connected, so the grace period is short: long enough to flush a last
  // snapshot on a LAN.
  disk_watch_.reset();
  scenario_watch_.reset();
  if (sessions_) sessions_->InterruptAll("controller shutting down");
  // Devices got their final snapshot with the sessions' end; links still
  // open (a device that joined nothing that ended) close now.
  if (gateway_) {
    gateway_->CloseAll(grpc::Status(grpc::StatusCode::UNAVAILABLE, "controller shutting down"));
  }
  if (tcp_devices_) tcp_devices_->Stop();
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

}  // namespace pedisim

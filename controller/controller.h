#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/controller_config.h"
#include "controller/data_folder_lock.h"
#include "controller/disk_watch.h"
#include "controller/exhaustion_watch.h"
#include "controller/scenario_folder_watch.h"
#include "devices/registry.h"
#include "pedisim/v1/device.pb.h"

namespace asio::ssl {
class context;
}

namespace pedisim {

namespace auth {
class Authenticator;
class TokenStore;
}  // namespace auth
namespace device_gateway {
class DeviceGateway;
class TcpDeviceServer;
}  // namespace device_gateway
namespace limits {
class LimitCounters;
}
namespace recording {
class RecordingCatalog;
}
namespace scenario {
class ScenarioCatalog;
}
namespace services {
class AdminServiceImpl;
class AssessmentServiceImpl;
class DebriefServiceImpl;
class DeviceServiceImpl;
class ReflectionV1Service;
class RetentionSweeper;
class ScenarioServiceImpl;
class SessionServiceImpl;
}  // namespace services
namespace session {
class SessionManager;
}
namespace tls {
class DeviceCertificateAuthority;
}

// One controller: its data folder (locked), scenarios, sessions, recordings,
// users, and the gRPC and device TCP listeners. main() starts one and stops
// it on a termination signal; tests may run one in-process.
class Controller {
 public:
  explicit Controller(ControllerConfig config);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // In this order: checks that its ports are free (before the data folder is
  // touched), locks the data folder, opens what is in it and starts serving.
  // 0 once every listener serves (and the port files are written), else the
  // exit code to end with; what failed is logged.
  int Start();
  // Ends the sessions still going, closes device links and drains the
  // server. Idempotent; the destructor calls it.
  void Stop();

  // The bound gRPC port (0 before Start).
  int port() const { return port_; }

 private:
  int OpenDataFolder();
  int PrepareTls();
  int Serve();

  const ControllerConfig config_;
  std::optional<DataFolderLock> lock_;
  std::unique_ptr<scenario::ScenarioCatalog> catalog_;
  devices::AdapterRegistry adapters_;
  std::vector<v1::DeviceAttachment> session_devices_;
  std::unique_ptr<recording::RecordingCatalog> recordings_;
  std::unique_ptr<auth::TokenStore> tokens_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<limits::LimitCounters> limits_;
  std::unique_ptr<session::SessionManager> sessions_;
  std::unique_ptr<services::ScenarioServiceImpl> scenario_service_;
  std::unique_ptr<services::SessionServiceImpl> session_service_;
  std::unique_ptr<device_gateway::DeviceGateway> gateway_;
  std::unique_ptr<services::DeviceServiceImpl> device_service_;
  std::unique_ptr<services::AssessmentServiceImpl> assessment_service_;
  std::unique_ptr<services::DebriefServiceImpl> debrief_service_;
  std::unique_ptr<services::RetentionSweeper> retention_;
  // TLS wherever the network reaches (ControllerConfig::UsesTls).
  std::string grpc_host_;
  bool grpc_tls_ = false;
  bool device_tls_ = false;
  std::shared_ptr<grpc::ServerCredentials> credentials_;
  std::unique_ptr<asio::ssl::context> device_tls_context_;
  std::unique_ptr<tls::DeviceCertificateAuthority> device_ca_;
  std::string why_no_device_ca_;
  std::unique_ptr<services::AdminServiceImpl> admin_service_;
  std::unique_ptr<services::ReflectionV1Service> reflection_v1_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<device_gateway::TcpDeviceServer> tcp_devices_;
  std::unique_ptr<ExhaustionWatch> exhaustion_watch_;
  std::unique_ptr<DiskWatch> disk_watch_;
  std::unique_ptr<ScenarioFolderWatch> scenario_watch_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace pedisim

#pragma once

#include "core/scenario/scenario_catalog.h"
#include "devices/registry.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"

namespace pedisim::services {

class ScenarioServiceImpl final : public v1::ScenarioService::CallbackService {
 public:
  ScenarioServiceImpl(const scenario::ScenarioCatalog& catalog,
                      const devices::AdapterRegistry& adapters)
      : catalog_(catalog), adapters_(adapters) {}

  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* context,
                                 const v1::ListScenariosRequest* request,
                                 v1::ListScenariosResponse* response) override;
  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* context,
                                const v1::GetScenarioRequest* request,
                                v1::Scenario* response) override;
  grpc::ServerUnaryReactor* Validate(grpc::CallbackServerContext* context,
                                     const v1::ValidateScenarioRequest* request,
                                     v1::ValidateScenarioResponse* response) override;
  grpc::ServerWriteReactor<v1::SessionUpdate>* DryRun(grpc::CallbackServerContext* context,
                                                      const v1::DryRunRequest* request) override;

 private:
  // The scenario a DryRun names or carries, or the status explaining why not.
  grpc::Status ScenarioFor(const v1::DryRunRequest& request, v1::Scenario* scenario) const;

  const scenario::ScenarioCatalog& catalog_;
  const devices::AdapterRegistry& adapters_;
};

}  // namespace pedisim::services

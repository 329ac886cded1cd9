#pragma once

#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "controller/scenario/scenario_catalog.h"

namespace pedisim::services {

class ScenarioServiceImpl final : public v1::ScenarioService::CallbackService {
 public:
  explicit ScenarioServiceImpl(const scenario::ScenarioCatalog& catalog) : catalog_(catalog) {}

  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* context,
                                 const v1::ListScenariosRequest* request,
                                 v1::ListScenariosResponse* response) override;
  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* context,
                                const v1::GetScenarioRequest* request,
                                v1::Scenario* response) override;
  grpc::ServerUnaryReactor* Validate(grpc::CallbackServerContext* context,
                                     const v1::ValidateScenarioRequest* request,
                                     v1::ValidateScenarioResponse* response) override;

 private:
  const scenario::ScenarioCatalog& catalog_;
};

}  // namespace pedisim::services

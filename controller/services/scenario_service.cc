#include "controller/services/scenario_service.h"

#include "controller/scenario/scenario_loader.h"

namespace pedisim::services {

namespace {
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}
}  // namespace

grpc::ServerUnaryReactor* ScenarioServiceImpl::List(grpc::CallbackServerContext* context,
                                                    const v1::ListScenariosRequest*,
                                                    v1::ListScenariosResponse* response) {
  for (v1::ScenarioSummary& summary : catalog_.List()) {
    *response->add_scenarios() = std::move(summary);
  }
  for (v1::Diagnostic& error : catalog_.LoadErrors()) {
    *response->add_load_errors() = std::move(error);
  }
  return Answer(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* ScenarioServiceImpl::Get(grpc::CallbackServerContext* context,
                                                   const v1::GetScenarioRequest* request,
                                                   v1::Scenario* response) {
  if (request->scenario_id().empty()) {
    return Answer(context,
                  grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "scenario_id: required"));
  }
  std::optional<v1::Scenario> scenario = catalog_.Find(request->scenario_id());
  if (!scenario) {
    return Answer(context,
                  grpc::Status(grpc::StatusCode::NOT_FOUND,
                               "scenario_id: no scenario '" + request->scenario_id() + "'"));
  }
  *response = std::move(*scenario);
  return Answer(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* ScenarioServiceImpl::Validate(grpc::CallbackServerContext* context,
                                                        const v1::ValidateScenarioRequest* request,
                                                        v1::ValidateScenarioResponse* response) {
  if (request->content().empty()) {
    return Answer(context, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "content: required"));
  }
  const std::string file_name =
      request->file_name().empty() ? "scenario.yaml" : request->file_name();
  scenario::LoadResult result = scenario::ParseScenario(file_name, request->content());
  response->set_valid(result.ok());
  for (v1::Diagnostic& diagnostic : result.diagnostics) {
    *response->add_diagnostics() = std::move(diagnostic);
  }
  if (result.scenario) *response->mutable_scenario() = std::move(*result.scenario);
  return Answer(context, grpc::Status::OK);
}

}  // namespace pedisim::services

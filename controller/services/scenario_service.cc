#include "controller/services/scenario_service.h"

#include "controller/auth/caller.h"
#include "controller/services/answer.h"
#include "controller/services/dry_run_reactor.h"
#include "controller/services/refusal_reactor.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::services {

grpc::ServerUnaryReactor* ScenarioServiceImpl::List(grpc::CallbackServerContext* context,
                                                    const v1::ListScenariosRequest*,
                                                    v1::ListScenariosResponse* response) {
  return AnswerGuarded(context, "ScenarioService.List", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    for (v1::ScenarioSummary& summary : catalog_.List()) {
      *response->add_scenarios() = std::move(summary);
    }
    for (v1::Diagnostic& error : catalog_.LoadErrors()) {
      *response->add_load_errors() = std::move(error);
    }
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* ScenarioServiceImpl::Get(grpc::CallbackServerContext* context,
                                                   const v1::GetScenarioRequest* request,
                                                   v1::Scenario* response) {
  return AnswerGuarded(context, "ScenarioService.Get", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
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
  });
}

grpc::ServerUnaryReactor* ScenarioServiceImpl::Validate(grpc::CallbackServerContext* context,
                                                        const v1::ValidateScenarioRequest* request,
                                                        v1::ValidateScenarioResponse* response) {
  return AnswerGuarded(context, "ScenarioService.Validate", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (request->content().empty()) {
      return Answer(context, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "content: required"));
    }
    const std::string file_name =
        request->file_name().empty() ? "scenario.yaml" : request->file_name();
    scenario::LoadResult result = scenario::ParseScenario(
        file_name, request->content(),
        {request->included_files().begin(), request->included_files().end()},
        catalog_.Guidelines().get(), catalog_.Drugs().get());
    response->set_valid(result.ok());
    for (v1::Diagnostic& diagnostic : result.diagnostics) {
      *response->add_diagnostics() = std::move(diagnostic);
    }
    if (result.scenario) *response->mutable_scenario() = std::move(*result.scenario);
    return Answer(context, grpc::Status::OK);
  });
}

grpc::Status ScenarioServiceImpl::ScenarioFor(const v1::DryRunRequest& request,
                                              v1::Scenario* scenario) const {
  switch (request.source_case()) {
    case v1::DryRunRequest::kScenarioId: {
      std::optional<v1::Scenario> found = catalog_.Find(request.scenario_id());
      if (!found) {
        return grpc::Status(grpc::StatusCode::NOT_FOUND,
                            "scenario_id: no scenario '" + request.scenario_id() + "'");
      }
      *scenario = std::move(*found);
      return grpc::Status::OK;
    }
    case v1::DryRunRequest::kScenarioFile: {
      const v1::ValidateScenarioRequest& file = request.scenario_file();
      scenario::LoadResult result = scenario::ParseScenario(
          file.file_name().empty() ? "scenario.yaml" : file.file_name(), file.content(),
          {file.included_files().begin(), file.included_files().end()}, catalog_.Guidelines().get(),
          catalog_.Drugs().get());
      if (!result.ok()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "scenario_file: " + result.FormatDiagnostics());
      }
      *scenario = std::move(*result.scenario);
      return grpc::Status::OK;
    }
    default:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "source: set scenario_id or scenario_file");
  }
}

grpc::ServerWriteReactor<v1::SessionUpdate>* ScenarioServiceImpl::DryRun(
    grpc::CallbackServerContext* context, const v1::DryRunRequest* request) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (auto* refused = RefuseStream<v1::SessionUpdate>(context)) return refused;
    using Refusal = RefusalReactor<v1::SessionUpdate>;
    constexpr double kDefaultMaxDurationS = 3600;
    constexpr double kLongestDryRunS = 24 * 3600;
    if (request->max_duration_s() < 0 || request->max_duration_s() > kLongestDryRunS) {
      return new Refusal(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                      "max_duration_s: must be between 0 and 86400"));
    }
    v1::Scenario scenario;
    if (grpc::Status status = ScenarioFor(*request, &scenario); !status.ok()) {
      return new Refusal(status);
    }
    // The scripted learner is the same virtual manikin a live session uses.
    std::vector<session::AttachedDevice> devices;
    if (!request->actions().empty()) {
      devices::AdapterRegistry::CreateResult manikin = adapters_.Create(
          "virtual-manikin",
          {{"script", request->actions()},
           {"script_name",
            request->actions_file_name().empty() ? "actions.yaml" : request->actions_file_name()}});
      if (!manikin.adapter) {
        return new Refusal(
            grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "actions: " + manikin.message));
      }
      session::AttachedDevice& device = devices.emplace_back();
      device.info.set_name("manikin");
      device.info.set_adapter("virtual-manikin");
      device.info.set_status(v1::DEVICE_STATUS_CONNECTED);
      device.adapter = std::move(manikin.adapter);
    }
    const double max_duration_s =
        request->max_duration_s() > 0 ? request->max_duration_s() : kDefaultMaxDurationS;
    return new DryRunReactor(std::move(scenario), request->seed() != 0 ? request->seed() : 1,
                             max_duration_s, request->include_waveforms(), std::move(devices));
  } catch (...) {
    return new RefusalReactor<v1::SessionUpdate>(
        FailureStatus("ScenarioService.DryRun", std::current_exception()));
  }
}

}  // namespace pedisim::services

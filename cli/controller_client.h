// The connection to a controller and the conventions every call follows:
// unary deadline, error reporting and human-or-JSON output.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>

#include "client/console/output.h"
#include "command.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::cli {

class ControllerClient {
 public:
  explicit ControllerClient(const GlobalOptions& options);

  v1::ScenarioService::Stub& scenarios() { return *scenarios_; }
  v1::SessionService::Stub& sessions() { return *sessions_; }
  v1::AssessmentService::Stub& assessments() { return *assessments_; }
  v1::DebriefService::Stub& debrief() { return *debrief_; }
  v1::AdminService::Stub& admin() { return *admin_; }
  const GlobalOptions& options() const { return options_; }

  // Runs `invoke` with a fresh context carrying the unary deadline.
  template <typename Invoke>
  grpc::Status CallUnary(Invoke&& invoke) {
    grpc::ClientContext context;
    context.set_deadline(UnaryDeadline());
    return invoke(context);
  }

  // Prints the error to stderr and returns its exit code.
  int Fail(const grpc::Status& status) const;

  // Ends a unary command: on success prints the response as JSON or through
  // `print_human` and returns 0; otherwise reports the error.
  template <typename Response>
  int Respond(const grpc::Status& status, const Response& response,
              const std::function<void(const Response&)>& print_human) const {
    if (!status.ok()) return Fail(status);
    if (options_.json) {
      console::PrintJsonLine(response);
    } else {
      print_human(response);
    }
    return console::kExitOk;
  }

 private:
  std::chrono::system_clock::time_point UnaryDeadline() const;

  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ScenarioService::Stub> scenarios_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
  std::unique_ptr<v1::DebriefService::Stub> debrief_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

}  // namespace pedisim::cli

#include "controller_client.h"

#include <chrono>

#include "client/controller_channel.h"

namespace pedisim::cli {

ControllerClient::ControllerClient(const GlobalOptions& options)
    : options_(options),
      channel_(client::MakeControllerChannel(options.controller, options.connection)),
      scenarios_(v1::ScenarioService::NewStub(channel_)),
      sessions_(v1::SessionService::NewStub(channel_)),
      assessments_(v1::AssessmentService::NewStub(channel_)),
      debrief_(v1::DebriefService::NewStub(channel_)),
      admin_(v1::AdminService::NewStub(channel_)) {}

std::chrono::system_clock::time_point ControllerClient::UnaryDeadline() const {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             std::chrono::duration<double>(options_.timeout_s));
}

int ControllerClient::Fail(const grpc::Status& status) const {
  // A deadline that expires while the channel never got connected means the
  // controller is unreachable (a silently dropped connection attempt), not
  // that it is slow; scripts should see the same exit code as UNAVAILABLE.
  const bool reached_controller = channel_->GetState(false) == GRPC_CHANNEL_READY;
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && !reached_controller) {
    console::PrintStatusError(grpc::Status(
        status.error_code(), status.error_message() + " (could not connect to controller at " +
                                 options_.controller + ")"));
  } else {
    console::PrintStatusError(status);
  }
  return console::ExitCodeForStatus(status.error_code(), reached_controller);
}

}  // namespace pedisim::cli

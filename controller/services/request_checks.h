#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "pedisim/v1/session_service.pb.h"

namespace pedisim::services {

// Argument checks that need no session: each failure is INVALID_ARGUMENT
// with a message that starts with the offending field's name.
grpc::Status CheckSessionId(const std::string& session_id);
grpc::Status CheckCreate(const v1::CreateSessionRequest& request);
grpc::Status CheckSpeed(double speed, const std::string& field);
grpc::Status CheckOverride(const v1::OverrideVitalsRequest& request);
grpc::Status CheckAction(const v1::LearnerAction& action, const std::string& field);
grpc::Status CheckGoToState(const v1::GoToStateRequest& request);
grpc::Status CheckBookmark(const v1::AddBookmarkRequest& request);

}  // namespace pedisim::services

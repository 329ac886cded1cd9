#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "pedisim/v1/session_service.pb.h"

namespace pedisim::checks {

// Argument checks that need no session: each failure is INVALID_ARGUMENT
// with a message that starts with the offending field's name.
grpc::Status CheckSessionId(const std::string& session_id);
grpc::Status CheckCreate(const v1::CreateSessionRequest& request);
grpc::Status CheckSpeed(double speed, const std::string& field);
grpc::Status CheckOverride(const v1::OverrideVitalsRequest& request);
grpc::Status CheckAction(const v1::LearnerAction& action, const std::string& field);
grpc::Status CheckGoToState(const v1::GoToStateRequest& request);
grpc::Status CheckReleaseDiagnosticResult(const v1::ReleaseDiagnosticResultRequest& request);
grpc::Status CheckBookmark(const v1::AddBookmarkRequest& request);
grpc::Status CheckRoomDisplay(const v1::SetRoomDisplayRequest& request);
// A person's name a request gives for the record (an instructor acting
// through another account): printable, at most 100 characters, and no
// parentheses, which would let it fake the "(signed in as ...)" the record
// adds after it.
grpc::Status CheckClaimedName(const std::string& name, const std::string& field);

}  // namespace pedisim::checks

#pragma once

#include <grpcpp/support/status.h>

#include <memory>
#include <string>

#include "controller/auth/caller.h"
#include "controller/session/session_manager.h"

namespace pedisim::services {

// Whether `caller` may see `session`: staff see every session, a learner
// those whose participants include their name, a device none (devices reach
// sessions only through DeviceService).
bool MaySee(const auth::Caller& caller, const session::Session& session);
// The same for a session known by its participants (one from the store).
bool MaySee(const auth::Caller& caller,
            const google::protobuf::RepeatedPtrField<v1::Participant>& participants);

// SessionManager::Find as `caller` sees it: a session they may not see is
// NOT_FOUND, exactly as one that does not exist, so its id reveals nothing.
grpc::Status FindVisible(const session::SessionManager& sessions, const auth::Caller& caller,
                         const std::string& session_id, std::shared_ptr<session::Session>* found);

}  // namespace pedisim::services

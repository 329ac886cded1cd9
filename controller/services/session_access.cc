#include "controller/services/session_access.h"

#include <algorithm>

namespace pedisim::services {

namespace {

template <typename Participants>
bool TakesPart(const auth::Caller& caller, const Participants& participants) {
  if (caller.IsStaff()) return true;
  if (caller.role != auth::Role::kLearner || caller.name.empty()) return false;
  return std::any_of(participants.begin(), participants.end(),
                     [&](const v1::Participant& person) { return person.name() == caller.name; });
}

}  // namespace

bool MaySee(const auth::Caller& caller, const session::Session& session) {
  return TakesPart(caller, session.participants());
}

bool MaySee(const auth::Caller& caller,
            const google::protobuf::RepeatedPtrField<v1::Participant>& participants) {
  return TakesPart(caller, participants);
}

grpc::Status FindVisible(const session::SessionManager& sessions, const auth::Caller& caller,
                         const std::string& session_id, std::shared_ptr<session::Session>* found) {
  std::shared_ptr<session::Session> session;
  if (grpc::Status status = sessions.Find(session_id, &session); !status.ok()) return status;
  if (!MaySee(caller, *session)) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: no session '" + session_id + "'");
  }
  *found = std::move(session);
  return grpc::Status::OK;
}

}  // namespace pedisim::services

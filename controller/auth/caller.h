#pragma once

#include <grpcpp/support/server_callback.h>

#include <optional>
#include <string>

#include "pedisim/v1/admin_service.pb.h"

namespace pedisim::auth {

enum class Role { kAdmin, kInstructor, kLearner, kDevice };

// Who made an RPC, as authentication established it. Services decide what a
// caller may see and do from this alone.
struct Caller {
  Role role = Role::kAdmin;
  // The user's name; for a learner, the name they take part in sessions
  // under (Participant.name).
  std::string name;
  // What authenticated the call, for StillValid (revocation.h): the
  // token's SHA-256, never shown or logged; for a device certificate, when
  // it was issued (it holds while its user does, created before it).
  std::string credential;

  bool IsStaff() const { return role == Role::kAdmin || role == Role::kInstructor; }
};

// The caller of the RPC running on `context`. A call the access check did
// not admit (see AdmissionOf) has a learner with no name, who takes part in
// nothing, so a service that forgot the gate still shows nothing.
Caller CallerOf(const grpc::CallbackServerContext& context);

// OK when the server's access check (AuthInterceptor) admitted the call
// running on `context`; otherwise the refusal (UNAUTHENTICATED,
// PERMISSION_DENIED or RESOURCE_EXHAUSTED) the service must answer with
// before it does anything. gRPC lets an interceptor decide but not end a
// call, so every handler starts with this gate.
grpc::Status AdmissionOf(const grpc::CallbackServerContext& context);

// The name a change is recorded under: the caller's account, and the name
// the request gave when it differs ("Dr. Osei (signed in as admin)"), so a
// grade change always names the account that made it.
std::string AttributedName(const Caller& caller, const std::string& claimed);

const char* RoleName(Role role);
v1::Role ToProto(Role role);
std::optional<Role> FromProto(v1::Role role);

}  // namespace pedisim::auth

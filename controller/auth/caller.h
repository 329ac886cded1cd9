#pragma once

#include <grpcpp/support/server_callback.h>

#include <string>

namespace pedisim::auth {

enum class Role { kAdmin, kInstructor, kLearner, kDevice };

// Who made an RPC, as authentication established it. Services decide what a
// caller may see and do from this alone.
struct Caller {
  Role role = Role::kAdmin;
  // The user's name; for a learner, the name they take part in sessions
  // under (Participant.name).
  std::string name;

  bool IsStaff() const { return role == Role::kAdmin || role == Role::kInstructor; }
};

// The caller of the RPC running on `context`.
Caller CallerOf(const grpc::CallbackServerContext& context);

}  // namespace pedisim::auth

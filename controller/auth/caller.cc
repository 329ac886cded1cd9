#include "controller/auth/caller.h"

#include <spdlog/spdlog.h>

#include <mutex>
#include <unordered_map>

#include "controller/auth/call_admissions.h"

namespace pedisim::auth {

namespace {

struct Admissions {
  std::mutex mu;
  std::unordered_map<const grpc::ServerContextBase*, Admission> by_context;
};

Admissions& AllAdmissions() {
  static Admissions* admissions = new Admissions();  // outlives every call
  return *admissions;
}

}  // namespace

void RecordAdmission(const grpc::ServerContextBase* context, Admission admission) {
  Admissions& admissions = AllAdmissions();
  std::lock_guard lock(admissions.mu);
  admissions.by_context[context] = std::move(admission);
}

void ForgetAdmission(const grpc::ServerContextBase* context) {
  Admissions& admissions = AllAdmissions();
  std::lock_guard lock(admissions.mu);
  admissions.by_context.erase(context);
}

std::optional<Admission> FindAdmission(const grpc::ServerContextBase* context) {
  Admissions& admissions = AllAdmissions();
  std::lock_guard lock(admissions.mu);
  const auto found = admissions.by_context.find(context);
  if (found == admissions.by_context.end()) return std::nullopt;
  return found->second;
}

Caller CallerOf(const grpc::CallbackServerContext& context) {
  const std::optional<Admission> admission = FindAdmission(&context);
  if (admission && admission->status.ok() && admission->caller) return *admission->caller;
  return Caller{Role::kLearner, "", ""};
}

grpc::Status AdmissionOf(const grpc::CallbackServerContext& context) {
  const std::optional<Admission> admission = FindAdmission(&context);
  if (!admission) {
    // A server built without the interceptor: fail closed.
    spdlog::error("a call reached a service without passing the access check");
    return grpc::Status(grpc::StatusCode::INTERNAL, "the access check did not run");
  }
  if (admission->status.ok() && !admission->caller) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "authorization: required");
  }
  return admission->status;
}

std::string AttributedName(const Caller& caller, const std::string& claimed) {
  if (claimed.empty() || claimed == caller.name) return caller.name;
  return claimed + " (signed in as " + caller.name + ")";
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kInstructor:
      return "instructor";
    case Role::kLearner:
      return "learner";
    case Role::kDevice:
      return "device";
  }
  return "unknown";
}

v1::Role ToProto(Role role) {
  switch (role) {
    case Role::kAdmin:
      return v1::ROLE_ADMIN;
    case Role::kInstructor:
      return v1::ROLE_INSTRUCTOR;
    case Role::kLearner:
      return v1::ROLE_LEARNER;
    case Role::kDevice:
      return v1::ROLE_DEVICE;
  }
  return v1::ROLE_UNSPECIFIED;
}

std::optional<Role> FromProto(v1::Role role) {
  switch (role) {
    case v1::ROLE_ADMIN:
      return Role::kAdmin;
    case v1::ROLE_INSTRUCTOR:
      return Role::kInstructor;
    case v1::ROLE_LEARNER:
      return Role::kLearner;
    case v1::ROLE_DEVICE:
      return Role::kDevice;
    default:
      return std::nullopt;
  }
}

}  // namespace pedisim::auth

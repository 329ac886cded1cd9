#pragma once

#include <grpcpp/server_context.h>

#include <optional>

#include "controller/auth/caller.h"

namespace pedisim::auth {

// What the access check decided about one call: its caller when admitted,
// the status to refuse it with otherwise.
struct Admission {
  grpc::Status status;
  std::optional<Caller> caller;
};

// The decisions of the calls in flight, by their server context: written by
// the interceptor before the handler runs, read by CallerOf and AdmissionOf,
// erased when the call's interceptors are destroyed with its context.
void RecordAdmission(const grpc::ServerContextBase* context, Admission admission);
void ForgetAdmission(const grpc::ServerContextBase* context);
std::optional<Admission> FindAdmission(const grpc::ServerContextBase* context);

}  // namespace pedisim::auth

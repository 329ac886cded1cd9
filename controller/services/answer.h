#pragma once

#include <grpcpp/grpcpp.h>

#include "controller/auth/caller.h"

namespace pedisim::services {

// Ends a unary call at once with `status` (the response is filled already):
// the one way every service answers.
inline grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

// The gate every unary handler starts with: the call answered with its
// refusal when the access check (auth::AdmissionOf) did not admit it, null
// when the handler may go on.
inline grpc::ServerUnaryReactor* AnswerRefusal(grpc::CallbackServerContext* context) {
  grpc::Status admitted = auth::AdmissionOf(*context);
  return admitted.ok() ? nullptr : Answer(context, std::move(admitted));
}

}  // namespace pedisim::services

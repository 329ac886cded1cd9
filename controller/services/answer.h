#pragma once

#include <grpcpp/grpcpp.h>

namespace pedisim::services {

// Ends a unary call at once with `status` (the response is filled already):
// the one way every service answers.
inline grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                        grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

}  // namespace pedisim::services

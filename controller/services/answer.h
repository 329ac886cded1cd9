#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <string>

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

// What a call answers when something under its handler threw (a store that
// cannot be written: a full disk, a damaged database): UNAVAILABLE with the
// reason, logged, instead of an exception escaping into gRPC (which answers
// UNKNOWN or UNIMPLEMENTED with no message and may leave the call hanging).
inline grpc::Status FailureStatus(const char* rpc, std::exception_ptr failure) {
  std::string why = "unknown error";
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    why = error.what();
  } catch (...) {
  }
  spdlog::error("{}: {}", rpc, why);
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      std::string("the controller could not complete the call: ") + why);
}

inline grpc::ServerUnaryReactor* AnswerFailure(grpc::CallbackServerContext* context,
                                               const char* rpc, std::exception_ptr failure) {
  return Answer(context, FailureStatus(rpc, std::move(failure)));
}

// Runs a unary handler's body (which answers with Answer) so that nothing
// it throws escapes into gRPC: a throw is answered with AnswerFailure. The
// one place handlers get that guarantee from.
template <typename Body>
grpc::ServerUnaryReactor* AnswerGuarded(grpc::CallbackServerContext* context, const char* rpc,
                                        Body&& body) {
  try {
    return body();
  } catch (...) {
    return AnswerFailure(context, rpc, std::current_exception());
  }
}

}  // namespace pedisim::services

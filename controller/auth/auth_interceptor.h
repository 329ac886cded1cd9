#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <chrono>

#include "controller/auth/authenticator.h"
#include "controller/util/log_throttle.h"

namespace pedisim::auth {

// The gate of every gRPC call, before the handler runs: once the client's
// metadata is in, authenticates its `authorization: Bearer <token>` and
// applies the role table (access_policy.cc); once the request is in, checks
// it against the contract's bounds (core/checks/message_limits). The
// decision is recorded for the handler (AdmissionOf, CallerOf), and a
// refused call's status is forced to the refusal whatever the handler
// answers. Methods the server does not have pass untouched, so gRPC answers
// them UNIMPLEMENTED (what reflection clients probe for); a request that
// cannot be decoded is answered INVALID_ARGUMENT instead of gRPC's bare
// UNIMPLEMENTED, and logged once a minute per host. No error message
// leaves longer than 1,000 characters.
// With `client_certificates` (the server's TLS verifies client certificates
// against the device CA), a client certificate of the connection is
// presented too.
class AuthInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  AuthInterceptorFactory(Authenticator& authenticator, bool client_certificates)
      : authenticator_(authenticator), client_certificates_(client_certificates) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Authenticator& authenticator_;
  const bool client_certificates_;
  LogThrottle undecodable_log_{std::chrono::minutes(1)};
};

}  // namespace pedisim::auth

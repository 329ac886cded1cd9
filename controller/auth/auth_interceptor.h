#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "controller/auth/authenticator.h"

namespace pedisim::auth {

// The access check of every gRPC call: once the client's metadata is in,
// authenticates its `authorization: Bearer <token>` and applies the role
// table (access_policy.cc), before the handler runs. The decision is recorded
// for the handler (AdmissionOf, CallerOf), and a refused call's status is
// forced to the refusal whatever the handler answers.
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
};

}  // namespace pedisim::auth

#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "controller/auth/authenticator.h"

namespace pedisim::auth {

// The access check of every gRPC call: once the client's metadata is in,
// authenticates its `authorization: Bearer <token>` and applies the role
// table (access_policy.cc), before the handler runs. The decision is recorded
// for the handler (AdmissionOf, CallerOf), and a refused call's status is
// forced to the refusal whatever the handler answers.
class AuthInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit AuthInterceptorFactory(Authenticator& authenticator) : authenticator_(authenticator) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Authenticator& authenticator_;
};

}  // namespace pedisim::auth

#include "controller/auth/auth_interceptor.h"

#include <grpcpp/server_context.h>

#include <string>

namespace pedisim::auth {

namespace {

class AuthInterceptor : public grpc::experimental::Interceptor {
 public:
  AuthInterceptor(Authenticator& authenticator, grpc::experimental::ServerRpcInfo* info)
      : authenticator_(authenticator), context_(info->server_context()), method_(info->method()) {}

  ~AuthInterceptor() override { ForgetAdmission(context_); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      std::string_view authorization;
      const std::multimap<grpc::string_ref, grpc::string_ref>* metadata =
          methods->GetRecvInitialMetadata();
      if (const auto found = metadata->find("authorization"); found != metadata->end()) {
        authorization = std::string_view(found->second.data(), found->second.size());
      }
      Admission admission = authenticator_.AdmitCall(context_->peer(), method_, authorization);
      refusal_ = admission.status;
      RecordAdmission(context_, std::move(admission));
    }
    if (!refusal_.ok() &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->ModifySendStatus(refusal_);
    }
    methods->Proceed();
  }

 private:
  Authenticator& authenticator_;
  grpc::ServerContextBase* const context_;
  const std::string method_;
  grpc::Status refusal_;
};

}  // namespace

grpc::experimental::Interceptor* AuthInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AuthInterceptor(authenticator_, info);
}

}  // namespace pedisim::auth

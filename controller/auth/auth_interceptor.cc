#include "controller/auth/auth_interceptor.h"

#include <grpcpp/server_context.h>

#include <string>

#include "controller/tls/controller_certificates.h"

namespace pedisim::auth {

namespace {

class AuthInterceptor : public grpc::experimental::Interceptor {
 public:
  AuthInterceptor(Authenticator& authenticator, bool client_certificates,
                  grpc::experimental::ServerRpcInfo* info)
      : authenticator_(authenticator),
        client_certificates_(client_certificates),
        context_(info->server_context()),
        method_(info->method()) {}

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
      const std::optional<ClientCertificate> certificate = PeerCertificate();
      Admission admission = authenticator_.AdmitCall(context_->peer(), method_, authorization,
                                                     certificate ? &*certificate : nullptr);
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
  // The client certificate of the call's connection, which gRPC's TLS
  // verified against the device CA during the handshake (a certificate
  // that does not verify never gets this far).
  std::optional<ClientCertificate> PeerCertificate() const {
    if (!client_certificates_) return std::nullopt;
    const std::shared_ptr<const grpc::AuthContext> auth = context_->auth_context();
    if (!auth) return std::nullopt;
    const std::vector<grpc::string_ref> pems = auth->FindPropertyValues("x509_pem_cert");
    if (pems.empty()) return std::nullopt;
    return tls::ClientCertificateOfPem(std::string_view(pems.front().data(), pems.front().size()));
  }

  Authenticator& authenticator_;
  const bool client_certificates_;
  grpc::ServerContextBase* const context_;
  const std::string method_;
  grpc::Status refusal_;
};

}  // namespace

grpc::experimental::Interceptor* AuthInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AuthInterceptor(authenticator_, client_certificates_, info);
}

}  // namespace pedisim::auth

#include "controller/auth/auth_interceptor.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>
#include <spdlog/spdlog.h>

#include <string>

#include "controller/auth/access_policy.h"
#include "controller/tls/controller_certificates.h"
#include "core/checks/message_limits.h"

namespace pedisim::auth {

namespace {

// An error message longer than this is cut: gRPC sends it in a header, and
// a header over the client's limit drops the client's whole connection.
constexpr size_t kMaxStatusMessage = 1000;

// The request type of `method` ("/pedisim.v1.SessionService/Get") when its
// requests arrive as one message before the handler runs (unary and
// server-streaming calls); null for client-streaming calls, whose messages
// their reactors read and check one by one, and for methods not compiled in.
const google::protobuf::Descriptor* SingleRequestType(std::string_view method) {
  if (!method.starts_with('/')) return nullptr;
  std::string name(method.substr(1));
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return nullptr;
  name[slash] = '.';
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (descriptor == nullptr || descriptor->client_streaming()) return nullptr;
  return descriptor->input_type();
}

class AuthInterceptor : public grpc::experimental::Interceptor {
 public:
  AuthInterceptor(Authenticator& authenticator, bool client_certificates,
                  LogThrottle& undecodable_log, grpc::experimental::ServerRpcInfo* info)
      : authenticator_(authenticator),
        client_certificates_(client_certificates),
        undecodable_log_(undecodable_log),
        context_(info->server_context()),
        method_(info->method()),
        request_type_(IsInPolicy(method_) ? SingleRequestType(method_) : nullptr) {}

  ~AuthInterceptor() override { ForgetAdmission(context_); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Admit(*methods);
    }
    if (refusal_.ok() && request_type_ != nullptr &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      CheckRequest(methods->GetRecvMessage());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      FinalStatus(*methods);
    }
    methods->Proceed();
  }

 private:
  void Admit(grpc::experimental::InterceptorBatchMethods& methods) {
    std::string_view authorization;
    const std::multimap<grpc::string_ref, grpc::string_ref>* metadata =
        methods.GetRecvInitialMetadata();
    if (const auto found = metadata->find("authorization"); found != metadata->end()) {
      authorization = std::string_view(found->second.data(), found->second.size());
    }
    const std::optional<ClientCertificate> certificate = PeerCertificate();
    Admission admission = authenticator_.AdmitCall(context_->peer(), method_, authorization,
                                                   certificate ? &*certificate : nullptr);
    refusal_ = admission.status;
    RecordAdmission(context_, std::move(admission));
  }

  // The request's bounds (core/checks/message_limits), before the handler
  // runs: a refusal here is what the handler's admission gate answers.
  void CheckRequest(void* received) {
    if (received == nullptr) {
      refusal_ = Undecodable();
    } else {
      // gRPC hands the request over as the void* of the generated type,
      // whose only base is Message.
      refusal_ = checks::CheckMessageLimits(*static_cast<google::protobuf::Message*>(received));
    }
    if (!refusal_.ok()) {
      std::optional<Admission> admitted = FindAdmission(context_);
      RecordAdmission(context_, Admission{refusal_, admitted ? admitted->caller : std::nullopt});
    }
  }

  void FinalStatus(grpc::experimental::InterceptorBatchMethods& methods) {
    if (!refusal_.ok()) {
      methods.ModifySendStatus(refusal_);
      return;
    }
    const grpc::Status status = methods.GetSendStatus();
    // gRPC fails a request it cannot decode with a bare UNIMPLEMENTED, as
    // if the method did not exist.
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED && status.error_message().empty() &&
        request_type_ != nullptr) {
      methods.ModifySendStatus(Undecodable());
    } else if (status.error_message().size() > kMaxStatusMessage) {
      methods.ModifySendStatus(grpc::Status(
          status.error_code(), checks::Echo(status.error_message(), kMaxStatusMessage)));
    }
  }

  grpc::Status Undecodable() {
    if (undecodable_log_.ShouldLog(PeerHost(context_->peer()))) {
      spdlog::warn("{} from {}: the request is not a {} message (logged once a minute per host)",
                   method_, context_->peer(), request_type_->full_name());
    }
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        "request: cannot be decoded as " + request_type_->full_name() + " (see proto/)");
  }

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
  LogThrottle& undecodable_log_;
  grpc::ServerContextBase* const context_;
  const std::string method_;
  const google::protobuf::Descriptor* const request_type_;
  grpc::Status refusal_;
};

}  // namespace

grpc::experimental::Interceptor* AuthInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AuthInterceptor(authenticator_, client_certificates_, undecodable_log_, info);
}

}  // namespace pedisim::auth

#include "client/controller_channel.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/support/client_interceptor.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "client/network_address.h"
#include "client/tls_fingerprint.h"

namespace pedisim::client {

namespace {

// Adds the bearer token to the metadata of every call. An interceptor rather
// than call credentials: gRPC sends call credentials only over TLS, and a
// loopback controller may serve plain text.
class BearerTokenInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit BearerTokenInterceptor(const std::string& authorization)
      : authorization_(authorization) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", authorization_});
    }
    methods->Proceed();
  }

 private:
  const std::string& authorization_;
};

class BearerTokenInterceptorFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerTokenInterceptorFactory(const std::string& token)
      : authorization_("Bearer " + token) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerTokenInterceptor(authorization_);
  }

 private:
  const std::string authorization_;
};

// Accepts exactly the server certificate whose SHA-256 was pinned, whoever
// signed it: a self-made certificate needs no CA on the client.
class PinnedCertificateVerifier : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit PinnedCertificateVerifier(std::string fingerprint)
      : fingerprint_(std::move(fingerprint)) {}

  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)>, grpc::Status* sync_status) override {
    const grpc::string_ref pem = request->peer_cert();
    const std::string seen = CertificateFingerprint(std::string_view(pem.data(), pem.size()));
    *sync_status = seen == fingerprint_
                       ? grpc::Status::OK
                       : grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                      "the controller's certificate has fingerprint " + seen +
                                          ", not the pinned " + fingerprint_);
    return true;
  }
  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {}

 private:
  const std::string fingerprint_;
};

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const ConnectionOptions& options) {
  if (options.certificate_file.empty() != options.key_file.empty()) {
    throw std::runtime_error("cert_file and key_file: a client certificate needs both");
  }
  const bool client_certificate = !options.certificate_file.empty();
  if (client_certificate && !options.UsesTls()) {
    throw std::runtime_error(
        "cert_file: a client certificate is presented only over TLS (--ca-file or "
        "--tls-fingerprint)");
  }
  const std::string certificate_chain =
      client_certificate ? ReadPemFile(options.certificate_file, "cert_file") : "";
  const std::string private_key =
      client_certificate ? ReadPemFile(options.key_file, "key_file") : "";
  if (!options.fingerprint.empty()) {
    grpc::experimental::TlsChannelCredentialsOptions tls;
    if (client_certificate) {
      tls.set_certificate_provider(
          std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
              std::vector<grpc::experimental::IdentityKeyCertPair>{
                  {.private_key = private_key, .certificate_chain = certificate_chain}}));
      tls.watch_identity_key_cert_pairs();
    }
    tls.set_verify_server_certs(false);  // the pin replaces the chain of trust
    tls.set_check_call_host(false);
    tls.set_certificate_verifier(
        grpc::experimental::ExternalCertificateVerifier::Create<PinnedCertificateVerifier>(
            NormalizeFingerprint(options.fingerprint)));
    return grpc::experimental::TlsCredentials(tls);
  }
  if (!options.ca_file.empty()) {
    std::ifstream in(options.ca_file);
    std::string pem{std::istreambuf_iterator<char>(in), {}};
    if (!in || pem.empty())
      throw std::runtime_error(options.ca_file + ": cannot read a CA from it");
    return grpc::SslCredentials({.pem_root_certs = pem,
                                 .pem_private_key = private_key,
                                 .pem_cert_chain = certificate_chain});
  }
  return grpc::InsecureChannelCredentials();
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeControllerChannel(const std::string& address,
                                                     const ConnectionOptions& options) {
  if (!options.UsesTls()) {
    const std::string refusal = PlaintextRefusal(address, options.allow_plaintext);
    if (!refusal.empty()) throw std::runtime_error(refusal);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  if (!options.token.empty()) {
    interceptors.push_back(std::make_unique<BearerTokenInterceptorFactory>(options.token));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, CredentialsFor(options), grpc::ChannelArguments(), std::move(interceptors));
}

void ResolveTlsTrust(const std::string& ca_file_flag, const std::string& fingerprint_flag,
                     ConnectionOptions* options) {
  const auto from_env = [](const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
  };
  options->ca_file = ca_file_flag;
  options->fingerprint = fingerprint_flag;
  if (options->UsesTls()) return;
  options->ca_file = from_env("PEDISIM_CA_FILE");
  options->fingerprint = from_env("PEDISIM_TLS_FINGERPRINT");
}

bool ResolveAllowPlaintext(bool flag) {
  if (flag) return true;
  const char* value = std::getenv("PEDISIM_ALLOW_PLAINTEXT");
  if (value == nullptr) return false;
  const std::string_view text(value);
  return text == "1" || text == "true" || text == "yes";
}

void ResolveClientCertificate(const std::string& certificate_flag, const std::string& key_flag,
                              ConnectionOptions* options) {
  options->certificate_file = certificate_flag;
  options->key_file = key_flag;
  if (!certificate_flag.empty() || !key_flag.empty()) return;
  const char* certificate = std::getenv("PEDISIM_CERT_FILE");
  const char* key = std::getenv("PEDISIM_KEY_FILE");
  options->certificate_file = certificate == nullptr ? "" : certificate;
  options->key_file = key == nullptr ? "" : key;
}

std::string ReadPemFile(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  std::string pem{std::istreambuf_iterator<char>(in), {}};
  if (!in || pem.empty()) throw std::runtime_error(what + ": cannot read " + path);
  return pem;
}

}  // namespace pedisim::client

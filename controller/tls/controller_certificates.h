#pragma once

#include <grpcpp/support/status.h>
#include <openssl/types.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/tls/client_certificate.h"
#include "pedisim/v1/admin_service.pb.h"

namespace pedisim::tls {

// The PEM files a TLS listener serves with.
struct ServerCertificate {
  std::filesystem::path certificate_chain;
  std::filesystem::path private_key;
  // The CA clients trust (--ca-file); empty for certificates the
  // administrator configured, whose CA is theirs.
  std::filesystem::path ca;
  // The CA's private key, with which it issues device certificates; empty
  // with `ca`.
  std::filesystem::path ca_key;
};

// The controller's own certificate authority and server certificate in
// `dir` (DATA_DIR/tls): made with OpenSSL on first use, an EC P-256 CA valid
// for 10 years and a server certificate valid for 2 signed by it, whose
// subject alternative names are `hosts` (IP addresses or DNS names) plus
// localhost, 127.0.0.1 and ::1. A server certificate that lacks one of the
// hosts, or expires within 30 days, is issued anew from the same CA, so
// clients keep trusting it. Keys are written with mode 0600. Throws
// std::runtime_error when OpenSSL or the files fail.
ServerCertificate EnsureControllerCertificate(const std::filesystem::path& dir,
                                              const std::vector<std::string>& hosts);

// Every address of this machine's network interfaces (for a controller
// listening on 0.0.0.0 or ::, whose clients may use any of them).
std::vector<std::string> InterfaceAddresses();

// The CA that issues devices their client certificates and that the TLS
// listeners verify client certificates against: the controller's own, or
// the administrator's --device-ca-cert and --device-ca-key. Thread-safe.
class DeviceCertificateAuthority {
 public:
  // Throws std::runtime_error when a file cannot be read or the key is not
  // the certificate's.
  DeviceCertificateAuthority(const std::filesystem::path& certificate,
                             const std::filesystem::path& private_key);
  ~DeviceCertificateAuthority();
  DeviceCertificateAuthority(const DeviceCertificateAuthority&) = delete;
  DeviceCertificateAuthority& operator=(const DeviceCertificateAuthority&) = delete;

  const std::filesystem::path& certificate_file() const { return certificate_file_; }
  const std::string& certificate_pem() const { return certificate_pem_; }

  // Signs the PKCS#10 request `request_pem` as a TLS client certificate
  // whose common name is `user_name` (the subject the request asks for is
  // ignored: the admin, not the device, says whom it names), valid for a
  // year from now. INVALID_ARGUMENT naming certificate_signing_request_pem
  // for a request that does not parse, is not signed by its own key, or has
  // a weak key.
  grpc::Status Issue(const std::string& user_name, std::string_view request_pem,
                     v1::DeviceCertificate* issued) const;

 private:
  const std::filesystem::path certificate_file_;
  std::string certificate_pem_;
  X509* certificate_ = nullptr;
  EVP_PKEY* private_key_ = nullptr;
  mutable std::mutex mu_;
};

// Who the client certificate `certificate` names, as the Authenticator
// checks it: its subject's common name and when it was issued. The caller
// must have verified it against the DeviceCertificateAuthority (the TLS
// handshake does). Nullopt without a common name.
std::optional<ClientCertificate> ClientCertificateOf(X509* certificate);
std::optional<ClientCertificate> ClientCertificateOfPem(std::string_view pem);

}  // namespace pedisim::tls

#pragma once

#include <cstdint>
#include <string>

namespace pedisim::tls {

// A client certificate the TLS handshake verified against the controller's
// device CA (DeviceCertificateAuthority): the device user it names. What
// authentication (controller/auth) admits a device by, instead of a token.
struct ClientCertificate {
  std::string common_name;
  // Its notBefore: device certificates start when they are issued.
  int64_t issued_at_unix_s = 0;
  // For the log: which certificate it was.
  std::string fingerprint_sha256;
};

}  // namespace pedisim::tls

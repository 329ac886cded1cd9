#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pedisim::tls {

// The PEM files a TLS listener serves with.
struct ServerCertificate {
  std::filesystem::path certificate_chain;
  std::filesystem::path private_key;
  // The CA clients trust (--ca-file); empty for certificates the
  // administrator configured, whose CA is theirs.
  std::filesystem::path ca;
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

}  // namespace pedisim::tls

#pragma once

#include <string>
#include <string_view>

namespace pedisim::client {

// The SHA-256 of the first certificate in `pem` (its DER encoding), as 64
// lowercase hex digits: what a client pins with --tls-fingerprint and the
// controller prints at start-up. Empty when `pem` holds no certificate.
std::string CertificateFingerprint(std::string_view pem);

// `fingerprint` as CertificateFingerprint writes it: lowercase, colons
// (as `openssl x509 -fingerprint` prints them) removed.
std::string NormalizeFingerprint(std::string_view fingerprint);

}  // namespace pedisim::client

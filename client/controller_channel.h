#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace pedisim::client {

// How a client talks to a controller.
struct ConnectionOptions {
  // Sent on every call as `authorization: Bearer <token>`; empty = none.
  std::string token = "";
  // TLS, trusting the certificate authority in this PEM file (a
  // controller's own: DATA_DIR/tls/ca.crt), or a server certificate whose
  // SHA-256 is `fingerprint` (as the controller prints it). Neither: plain
  // text, which a controller accepts only on loopback.
  std::string ca_file = "";
  std::string fingerprint = "";
  // Plain text to a controller beyond loopback, which is refused otherwise
  // (PlaintextRefusal): for a controller run with --allow-plaintext.
  bool allow_plaintext = false;
  // A client certificate chain and its private key (PEM files), presented
  // over TLS: a device certificate the controller issued
  // (pedisimctl device-cert issue) authenticates its device without a
  // token. Both or neither.
  std::string certificate_file = "";
  std::string key_file = "";

  bool UsesTls() const { return !ca_file.empty() || !fingerprint.empty(); }
};

// A channel to the controller at `address` ("host:port") whose every call
// carries the token. Throws std::runtime_error when the CA file or the
// client certificate or key cannot be read, a client certificate is given
// without TLS, or it would be plain text beyond loopback without
// `allow_plaintext`.
std::shared_ptr<grpc::Channel> MakeControllerChannel(const std::string& address,
                                                     const ConnectionOptions& options);

// The first of --ca-file / --tls-fingerprint given, else $PEDISIM_CA_FILE /
// $PEDISIM_TLS_FINGERPRINT, into `options`.
void ResolveTlsTrust(const std::string& ca_file_flag, const std::string& fingerprint_flag,
                     ConnectionOptions* options);

// --allow-plaintext, else $PEDISIM_ALLOW_PLAINTEXT ("1", "true" or "yes").
bool ResolveAllowPlaintext(bool flag);

// --cert-file and --key-file when either is given, else $PEDISIM_CERT_FILE
// and $PEDISIM_KEY_FILE, into `options`.
void ResolveClientCertificate(const std::string& certificate_flag, const std::string& key_flag,
                              ConnectionOptions* options);

// The contents of a PEM file a client presents; throws std::runtime_error
// naming `what` (the option) when it cannot be read or is empty.
std::string ReadPemFile(const std::string& path, const std::string& what);

}  // namespace pedisim::client

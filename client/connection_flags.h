#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "client/controller_channel.h"

namespace pedisim::client {

// The command-line flags every client program (pedisimctl, the dashboard,
// pedisim-device, the monitor) takes to reach a controller, declared once so
// their names, help and environment fallbacks stay the same everywhere.
struct ConnectionFlags {
  std::string token;
  std::string token_file;
  std::string ca_file;
  std::string tls_fingerprint;
  bool allow_plaintext = false;
  // Devices only (WithClientCertificate::kYes).
  std::string certificate_file;
  std::string key_file;
  bool takes_client_certificate = false;
};

enum class WithClientCertificate { kNo, kYes };

// Adds --token, --token-file, --ca-file, --tls-fingerprint, --allow-plaintext
// and, for devices, --cert-file and --key-file to `app`.
void AddConnectionFlags(CLI::App& app, ConnectionFlags& flags,
                        WithClientCertificate certificate = WithClientCertificate::kNo);

// Why flags could not become a connection.
enum class ConnectionFlagError {
  kNone,
  kUnreadableToken,   // a token file that cannot be read or holds no token
  kPlaintextRefused,  // plain text to a controller beyond loopback
};

struct ResolvedConnection {
  ConnectionOptions options;
  ConnectionFlagError error = ConnectionFlagError::kNone;
  std::string message;  // for the user, when error is set
};

// The flags, with the environment where a flag is not given ($PEDISIM_TOKEN,
// $PEDISIM_TOKEN_FILE, $PEDISIM_CA_FILE, $PEDISIM_TLS_FINGERPRINT,
// $PEDISIM_ALLOW_PLAINTEXT, $PEDISIM_CERT_FILE, $PEDISIM_KEY_FILE), as the
// options of a connection to `address`; refuses a token file that cannot be
// read and plain text beyond loopback without --allow-plaintext.
ResolvedConnection ResolveConnection(const ConnectionFlags& flags, const std::string& address);

}  // namespace pedisim::client

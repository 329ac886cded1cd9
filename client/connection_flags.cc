#include "client/connection_flags.h"

#include <optional>

#include "client/client_token.h"
#include "client/network_address.h"

namespace pedisim::client {

void AddConnectionFlags(CLI::App& app, ConnectionFlags& flags, WithClientCertificate certificate) {
  app.add_option("--token", flags.token,
                 "Bearer token (else $PEDISIM_TOKEN, --token-file, $PEDISIM_TOKEN_FILE, the "
                 "token pedisimctl login stored; prefer those: command lines are visible to "
                 "other users)")
      ->type_name("TOKEN");
  app.add_option("--token-file", flags.token_file,
                 "File whose first line is the token (else $PEDISIM_TOKEN_FILE)")
      ->type_name("FILE");
  app.add_option("--ca-file", flags.ca_file,
                 "Use TLS, trusting this CA (a controller's own: DATA_DIR/tls/ca.crt; else "
                 "$PEDISIM_CA_FILE)")
      ->type_name("FILE");
  app.add_option("--tls-fingerprint", flags.tls_fingerprint,
                 "Use TLS, trusting the server certificate with this SHA-256, as the controller "
                 "prints it at start-up (else $PEDISIM_TLS_FINGERPRINT)")
      ->type_name("HEX");
  app.add_flag("--allow-plaintext", flags.allow_plaintext,
               "Talk plain text to a controller beyond loopback, one run with --allow-plaintext "
               "(else $PEDISIM_ALLOW_PLAINTEXT)");
  flags.takes_client_certificate = certificate == WithClientCertificate::kYes;
  if (!flags.takes_client_certificate) return;
  app.add_option("--cert-file", flags.certificate_file,
                 "Authenticate with this client certificate (PEM; pedisimctl device-cert issue) "
                 "instead of a token, over TLS (else $PEDISIM_CERT_FILE)")
      ->type_name("FILE");
  app.add_option("--key-file", flags.key_file,
                 "Private key (PEM) of --cert-file (else $PEDISIM_KEY_FILE)")
      ->type_name("FILE");
}

ResolvedConnection ResolveConnection(const ConnectionFlags& flags, const std::string& address) {
  ResolvedConnection resolved;
  ConnectionOptions& options = resolved.options;
  if (flags.takes_client_certificate) {
    ResolveClientCertificate(flags.certificate_file, flags.key_file, &options);
  }
  // A client certificate is the identity instead of a token: a token from
  // the environment or a stored login (an administrator's, on a shared
  // machine) would name someone else, and the controller refuses the pair.
  // Both given on the command line are sent, for the controller to match.
  const bool certificate_only =
      !options.certificate_file.empty() && flags.token.empty() && flags.token_file.empty();
  if (!certificate_only) {
    const std::optional<std::string> token =
        ResolveToken(flags.token, flags.token_file, address, &resolved.message);
    if (!token) {
      resolved.error = ConnectionFlagError::kUnreadableToken;
      return resolved;
    }
    options.token = *token;
  }
  ResolveTlsTrust(flags.ca_file, flags.tls_fingerprint, &options);
  options.allow_plaintext = ResolveAllowPlaintext(flags.allow_plaintext);
  if (!options.UsesTls()) {
    resolved.message = PlaintextRefusal(address, options.allow_plaintext);
    if (!resolved.message.empty()) resolved.error = ConnectionFlagError::kPlaintextRefused;
  }
  return resolved;
}

}  // namespace pedisim::client

#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "controller/auth/call_admissions.h"
#include "controller/auth/failure_limiter.h"
#include "controller/auth/token_store.h"
#include "controller/tls/client_certificate.h"

namespace pedisim::auth {

using tls::ClientCertificate;

// Turns what a client presents into an admission, for every transport: the
// gRPC interceptor and the TCP device server. Refusals are logged with the
// peer and counted. Failed authentications (no, unknown, expired or revoked
// tokens) are rate-limited per client host; calls a valid account's role
// may not make, per account. A valid token is never refused for its host's
// failures, so on a ward where every tablet shares one address a learner's
// failures never lock out an instructor.
class Authenticator {
 public:
  Authenticator(const TokenStore& store, FailureLimiter::Options limits)
      : store_(store), host_limiter_(limits), account_limiter_(limits) {}

  // A call to `method` from `peer` (gRPC's "ipv4:1.2.3.4:5678" or
  // "1.2.3.4:5678") with the `authorization` metadata value
  // ("Bearer <token>"; empty when absent), over a TLS connection whose
  // client presented `certificate` (null: none, or plain text).
  Admission AdmitCall(std::string_view peer, std::string_view method,
                      std::string_view authorization,
                      const ClientCertificate* certificate = nullptr);

  // A bare token, as a TCP device's hello carries it, for `method`.
  // A client certificate authenticates its device user on its own; a token
  // sent with it must name the same user. The certificate is honoured only
  // while its user exists with the device role, and was created before the
  // certificate was issued, so removing the user invalidates it.
  Admission AdmitToken(std::string_view peer, std::string_view method, std::string_view token,
                       const ClientCertificate* certificate = nullptr);

  // A device's hello from `peer`, authenticated as `account`, named a
  // pairing code no running session has: counted against the account like
  // a call its role may not make, so no account can try all the codes.
  void RecordPairingMiss(std::string_view peer, const std::string& account);

  struct Counters {
    uint64_t unauthenticated = 0;
    uint64_t permission_denied = 0;
    uint64_t rate_limited = 0;
  };
  Counters counters() const;

 private:
  // The caller a token or certificate names, and what authenticated it
  // (for the debug log); nullopt with `why_not` when neither holds.
  std::optional<std::pair<Caller, std::string>> Identify(std::string_view token,
                                                         const ClientCertificate* certificate,
                                                         std::string* why_not) const;
  // An authentication that failed: counted against the peer's host.
  Admission RefuseUnauthenticated(std::string_view peer, std::string_view method,
                                  const std::string& why);
  Admission Refuse(std::string_view peer, std::string_view method, grpc::Status status,
                   std::atomic<uint64_t>& counter, bool log);

  const TokenStore& store_;
  FailureLimiter host_limiter_;
  FailureLimiter account_limiter_;
  std::atomic<uint64_t> unauthenticated_{0};
  std::atomic<uint64_t> permission_denied_{0};
  std::atomic<uint64_t> rate_limited_{0};
};

// Whom a peer's failures are counted against: "ipv4:127.0.0.1:5678" ->
// "127.0.0.1"; an IPv6 peer's /64, since one host may use any address in
// it: "ipv6:[2001:db8:1:2::7]:5678" -> "[2001:db8:1:2::]/64"; "[::1]";
// IPv4-mapped IPv6 as IPv4.
std::string PeerHost(std::string_view peer);

}  // namespace pedisim::auth

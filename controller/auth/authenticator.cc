#include "controller/auth/authenticator.h"

#include <arpa/inet.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iterator>

#include "controller/auth/access_policy.h"

namespace pedisim::auth {

namespace {

constexpr std::string_view kBearer = "Bearer ";

// The account limiter's key of a user.
std::string AccountKey(const std::string& name) { return "user " + name; }

}  // namespace

std::string PeerHost(std::string_view encoded) {
  // gRPC gives peers as URIs: "ipv6:%5B::1%5D:5678".
  std::string decoded;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size() &&
        std::isxdigit(static_cast<unsigned char>(encoded[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(encoded[i + 2]))) {
      decoded += static_cast<char>(std::stoi(std::string(encoded.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      decoded += encoded[i];
    }
  }
  std::string_view peer = decoded;
  for (std::string_view scheme : {"ipv4:", "ipv6:", "unix:"}) {
    if (peer.starts_with(scheme)) {
      peer.remove_prefix(scheme.size());
      if (scheme == "unix:") return std::string(peer);
      break;
    }
  }
  std::string host;
  if (peer.starts_with('[')) {
    const size_t close = peer.find(']');
    host = std::string(peer.substr(1, close == std::string_view::npos ? peer.npos : close - 1));
  } else {
    const size_t colon = peer.rfind(':');
    host = std::string(colon == std::string_view::npos ? peer : peer.substr(0, colon));
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return host;  // IPv4, or a name
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &v6.s6_addr[12], text, sizeof text);
    return text;
  }
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return "[::1]";
  // One host commonly holds a whole /64 and may pick any address in it.
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &v6, text, sizeof text);
  return fmt::format("[{}]/64", text);
}

Admission Authenticator::Refuse(std::string_view peer, std::string_view method, grpc::Status status,
                                std::atomic<uint64_t>& counter, bool log) {
  counter.fetch_add(1, std::memory_order_relaxed);
  if (log) {
    spdlog::warn("refused {} from {}: {} {}", method, peer,
                 status.error_code() == grpc::StatusCode::UNAUTHENTICATED ? "UNAUTHENTICATED"
                 : status.error_code() == grpc::StatusCode::PERMISSION_DENIED
                     ? "PERMISSION_DENIED"
                     : "RESOURCE_EXHAUSTED",
                 status.error_message());
  }
  return Admission{std::move(status), std::nullopt};
}

Admission Authenticator::AdmitCall(std::string_view peer, std::string_view method,
                                   std::string_view authorization,
                                   const ClientCertificate* certificate) {
  // A method the server does not have is left to gRPC, which answers
  // UNIMPLEMENTED: not a failed authentication, whatever the token.
  if (IsPublic(method) || !IsInPolicy(method)) return Admission{grpc::Status::OK, std::nullopt};
  // Anything but "Bearer <token>" fails below as a malformed token.
  if (authorization.starts_with(kBearer)) authorization.remove_prefix(kBearer.size());
  return AdmitToken(peer, method, authorization, certificate);
}

Admission Authenticator::RefuseUnauthenticated(std::string_view peer, std::string_view method,
                                               const std::string& why) {
  const std::string host = PeerHost(peer);
  const bool locked_out = host_limiter_.RecordFailure(host);
  Admission refused = Refuse(peer, method, grpc::Status(grpc::StatusCode::UNAUTHENTICATED, why),
                             unauthenticated_, /*log=*/true);
  if (locked_out) {
    spdlog::warn("{} is over its failed-authentication limit: refusing it for a while", host);
  }
  return refused;
}

Admission Authenticator::AdmitToken(std::string_view peer, std::string_view method,
                                    std::string_view token, const ClientCertificate* certificate) {
  // Credentials first, the host's failures after: a host's failures (a
  // tablet with a stale token, a guesser on the ward's shared address) never
  // lock out a valid token from that address. Tokens are 256 random bits,
  // so the host limit is not what stops guessing; it bounds the work and
  // the log lines a misbehaving client costs.
  std::string why_not;
  const std::optional<std::pair<Caller, std::string>> identified =
      Identify(token, certificate, &why_not);
  if (!identified) {
    const std::string host = PeerHost(peer);
    if (const auto wait = host_limiter_.Blocked(host)) {
      return Refuse(peer, method,
                    grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 fmt::format("authorization: too many failed attempts from {}; "
                                             "try again in {:.1f} s",
                                             host, static_cast<double>(wait->count()) / 1000.0)),
                    rate_limited_, /*log=*/false);
    }
    return RefuseUnauthenticated(peer, method, why_not);
  }
  const auto& [caller, credential] = *identified;
  // A valid account's refused calls count against the account, so one
  // learner's probing slows that learner down and nobody else.
  const std::string account = AccountKey(caller.name);
  if (const auto wait = account_limiter_.Blocked(account)) {
    return Refuse(
        peer, method,
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     fmt::format("authorization: too many refused calls by '{}'; try "
                                 "again in {:.1f} s",
                                 caller.name, static_cast<double>(wait->count()) / 1000.0)),
        rate_limited_, /*log=*/false);
  }
  if (AccessTo(method, caller.role) != Access::kAllowed) {
    const bool locked_out = account_limiter_.RecordFailure(account);
    Admission refused = Refuse(
        peer, method,
        grpc::Status(
            grpc::StatusCode::PERMISSION_DENIED,
            fmt::format("{} '{}' may not call {}", RoleName(caller.role), caller.name, method)),
        permission_denied_, /*log=*/true);
    if (locked_out) {
      spdlog::warn("{} '{}' is over its refused-call limit: refusing it for a while",
                   RoleName(caller.role), caller.name);
    }
    return refused;
  }
  spdlog::debug("{} from {}: {} '{}' ({})", method, peer, RoleName(caller.role), caller.name,
                credential);
  return Admission{grpc::Status::OK, caller};
}

std::optional<std::pair<Caller, std::string>> Authenticator::Identify(
    std::string_view token, const ClientCertificate* certificate, std::string* why_not) const {
  if (certificate != nullptr) {
    const std::optional<Caller> device =
        store_.FindDeviceUser(certificate->common_name, certificate->issued_at_unix_s);
    if (!device) {
      *why_not = fmt::format(
          "client certificate: '{}' is not a device user of this controller "
          "(removed, or never one); certificate SHA-256 {}",
          certificate->common_name, certificate->fingerprint_sha256);
      return std::nullopt;
    }
    if (!token.empty()) {
      const std::optional<TokenStore::Identity> identity = store_.Authenticate(token);
      if (!identity || identity->caller.name != device->name) {
        *why_not = fmt::format(
            "authorization: the token is not one of '{}', whom the client certificate names",
            device->name);
        return std::nullopt;
      }
    }
    return std::pair{*device, "client certificate " + certificate->fingerprint_sha256};
  }
  int64_t expired_at = 0;
  const std::optional<TokenStore::Identity> identity = store_.Authenticate(token, &expired_at);
  if (!identity) {
    if (expired_at != 0) {
      *why_not = fmt::format(
          "authorization: the token expired on {:%Y-%m-%d %H:%M} UTC (an admin makes a new one: "
          "pedisimctl token create; pedisimctl login renews a token before it expires)",
          fmt::gmtime(static_cast<std::time_t>(expired_at)));
    } else if (token.empty()) {
      *why_not =
          "authorization: required (a bearer token: pedisimctl login, --token, PEDISIM_TOKEN "
          "or --token-file; or a device's client certificate)";
    } else {
      *why_not = "authorization: unknown, revoked or malformed token";
    }
    return std::nullopt;
  }
  return std::pair{identity->caller, "token " + identity->token_id};
}

void Authenticator::RecordPairingMiss(std::string_view peer, const std::string& account) {
  unauthenticated_.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("device '{}' from {}: no running session has the pairing code it gave", account,
               peer);
  if (account_limiter_.RecordFailure(AccountKey(account))) {
    spdlog::warn("'{}' is over its refused-call limit: refusing it for a while", account);
  }
}

Authenticator::Counters Authenticator::counters() const {
  return Counters{unauthenticated_.load(), permission_denied_.load(), rate_limited_.load()};
}

}  // namespace pedisim::auth

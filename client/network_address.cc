#include "client/network_address.h"

#include <asio/ip/address.hpp>

namespace pedisim::client {

bool IsLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  std::error_code error;
  const asio::ip::address address = asio::ip::make_address(std::string(host), error);
  return !error && address.is_loopback();
}

std::optional<std::string> HostOfAddress(std::string_view address) {
  if (address.starts_with("unix:") || address.starts_with("unix-abstract:")) return "localhost";
  for (std::string_view scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
    if (address.starts_with(scheme)) {
      address.remove_prefix(scheme.size());
      break;
    }
  }
  if (address.starts_with('[')) {
    const size_t close = address.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    return std::string(address.substr(1, close - 1));
  }
  const size_t colon = address.rfind(':');
  // More than one colon without brackets: a bare IPv6 address, no port.
  if (colon != std::string_view::npos && address.find(':') != colon) return std::string(address);
  const std::string_view host = address.substr(0, colon);
  if (host.empty()) return std::nullopt;
  return std::string(host);
}

std::string PlaintextRefusal(std::string_view address, bool allow_plaintext) {
  if (allow_plaintext) return "";
  // "ipv4:127.0.0.1:1,10.0.0.7:2" lists addresses gRPC may fall over to:
  // every one must be loopback.
  bool all_loopback = true;
  std::string_view rest = address;
  std::string scheme;
  for (std::string_view known : {"ipv4:", "ipv6:"}) {
    if (rest.starts_with(known)) {
      scheme = known;
      rest.remove_prefix(known.size());
    }
  }
  while (all_loopback) {
    const size_t comma = rest.find(',');
    const std::optional<std::string> host =
        HostOfAddress(scheme + std::string(rest.substr(0, comma)));
    all_loopback = host && IsLoopbackHost(*host);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (all_loopback) return "";
  return std::string(address) +
         " is beyond loopback: connecting in plain text would send the token in the clear. Give "
         "--ca-file (the controller's DATA_DIR/tls/ca.crt) or --tls-fingerprint (printed at its "
         "start), or --allow-plaintext if the controller serves plain text on purpose";
}

}  // namespace pedisim::client

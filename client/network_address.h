#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pedisim::client {

// Whether traffic to `host` (an IP address, "[v6]" or a name) stays on this
// machine: "localhost", or an address in 127.0.0.0/8 or ::1. Any other name
// counts as the network, even one starting with "127.", because what it
// resolves to is not ours to know.
bool IsLoopbackHost(std::string_view host);

// The host of a client's controller address: "host:port", "[v6]:port", or a
// gRPC target with a scheme ("dns:///host:port", "ipv4:host:port").
// "unix:" targets are local: "localhost". Nullopt when there is no host.
std::optional<std::string> HostOfAddress(std::string_view address);

// Refuses plain text to a controller beyond loopback: a client's token
// would cross the network in the clear before the controller's TLS turned
// it away. Empty when `address` may be reached in plain text (loopback, or
// the user said --allow-plaintext); else the error to show.
std::string PlaintextRefusal(std::string_view address, bool allow_plaintext);

}  // namespace pedisim::client
